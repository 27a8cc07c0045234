//! `attctl class …`: list and create classes, so a fresh database is usable.

use super::Context;
use crate::cli::ClassCommand;
use crate::error::Result;
use crate::session::validate_class_name;

pub async fn run(cmd: ClassCommand, ctx: &mut Context) -> Result<()> {
    match cmd {
        ClassCommand::List => {
            let classes = ctx.service()?.store().list_classes().await?;
            ctx.out.list(&classes)
        }
        ClassCommand::Create { name } => {
            let name = validate_class_name(&name)?;
            let class = ctx.service()?.store().create_class(&name).await?;
            ctx.out.detail(&class)
        }
    }
}
