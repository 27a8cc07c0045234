//! An SMTP server on loopback for tests: a real one, speaking the protocol on tokio
//! (greeting, EHLO with its extensions, STARTTLS or TLS from the start with a certificate of
//! its own test authority, AUTH PLAIN and LOGIN against the credentials it was given,
//! MAIL/RCPT/DATA with dot-unstuffing, RSET, NOOP, QUIT). It records every message (the
//! envelope and the raw data) and can be told to answer 4xx/5xx to the next messages, to
//! fall silent after its greeting (a server that hangs mid-dialogue), or to go down and
//! come back on the same port.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;

use crate::loopback::{LoopbackServer, wait_until};

/// How clients secure their connection to the sink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain text; STARTTLS is not offered.
    Plain,
    /// STARTTLS offered in EHLO (and AUTH only after it).
    StartTls,
    /// TLS from the first byte (`smtps://`).
    Implicit,
}

/// One message as received, whatever the sink answered.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The message as sent, dot-unstuffed, lines ending in CRLF.
    pub data: String,
    /// The user that logged in, if any.
    pub auth_user: Option<String>,
    /// Whether the connection was encrypted.
    pub tls: bool,
    /// The reply code given at the end of DATA (250 = accepted).
    pub answered: u16,
    pub at: SystemTime,
}

#[derive(Default)]
struct Behaviour {
    /// Reply codes for the next messages' end of DATA, in order; then 250 again.
    reject_next: VecDeque<u16>,
    /// Recipients refused at RCPT TO (lowercase), with the code (a mailbox that does not
    /// exist: 550).
    refused_recipients: Vec<(String, u16)>,
    /// Greet, then read and never answer: the connection stays open, silent.
    silent_after_greeting: bool,
}

struct Shared {
    credentials: Option<(String, String)>,
    security: SmtpSecurity,
    tls: Option<TlsAcceptor>,
    mails: Mutex<Vec<ReceivedMail>>,
    behaviour: Mutex<Behaviour>,
    /// Every command line received (AUTH arguments left out), for tests of the dialogue.
    commands: Mutex<Vec<String>>,
    failed_logins: std::sync::atomic::AtomicUsize,
    connections: std::sync::atomic::AtomicUsize,
}

pub struct SmtpSink {
    shared: Arc<Shared>,
    server: LoopbackServer,
    /// Holds `ca.pem`, the test authority that signed the sink's certificate.
    dir: tempfile::TempDir,
}

impl SmtpSink {
    /// Starts a sink; with `credentials`, AUTH is offered and required before MAIL.
    pub fn start(
        security: SmtpSecurity,
        credentials: Option<(&str, &str)>,
    ) -> anyhow::Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix(crate::TEMP_DIR_PREFIX)
            .tempdir()
            .context("creating the SMTP sink's directory")?;
        let tls = match security {
            SmtpSecurity::Plain => None,
            _ => Some(tls_acceptor(&dir.path().join("ca.pem"))?),
        };
        let shared = Arc::new(Shared {
            credentials: credentials.map(|(u, p)| (u.to_string(), p.to_string())),
            security,
            tls,
            mails: Mutex::new(Vec::new()),
            behaviour: Mutex::new(Behaviour::default()),
            commands: Mutex::new(Vec::new()),
            failed_logins: std::sync::atomic::AtomicUsize::new(0),
            connections: std::sync::atomic::AtomicUsize::new(0),
        });
        let served = shared.clone();
        let server = LoopbackServer::start("SMTP sink", move |stream| {
            let shared = served.clone();
            async move {
                let _ = serve(shared, stream).await;
            }
        })?;
        Ok(SmtpSink {
            shared,
            server,
            dir,
        })
    }

    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// The `ATTCTL_SMTP_URL` that reaches this sink with its own credentials.
    pub fn url(&self) -> String {
        match &self.shared.credentials {
            Some((u, p)) => self.url_with(u, p),
            None => self.base_url(""),
        }
    }

    /// The URL with other credentials (to test a wrong password).
    pub fn url_with(&self, user: &str, password: &str) -> String {
        let enc = |s: &str| {
            s.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect::<String>()
        };
        self.base_url(&format!("{}:{}@", enc(user), enc(password)))
    }

    fn base_url(&self, userinfo: &str) -> String {
        match self.shared.security {
            SmtpSecurity::Plain => format!("smtp://{userinfo}127.0.0.1:{}", self.server.port()),
            SmtpSecurity::StartTls => {
                format!(
                    "smtp://{userinfo}127.0.0.1:{}?tls=required",
                    self.server.port()
                )
            }
            SmtpSecurity::Implicit => format!("smtps://{userinfo}127.0.0.1:{}", self.server.port()),
        }
    }

    /// The PEM file of the test authority that signed the sink's certificate (for
    /// `ATTCTL_SMTP_CA_FILE`); present only when the sink speaks TLS.
    pub fn ca_file(&self) -> Option<PathBuf> {
        let path = self.dir.path().join("ca.pem");
        path.exists().then_some(path)
    }

    /// Every message received so far, accepted or not.
    pub fn mails(&self) -> Vec<ReceivedMail> {
        self.shared
            .mails
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The messages answered 250.
    pub fn accepted(&self) -> Vec<ReceivedMail> {
        self.mails()
            .into_iter()
            .filter(|m| m.answered == 250)
            .collect()
    }

    /// Command lines received so far (AUTH's arguments left out).
    pub fn commands(&self) -> Vec<String> {
        self.shared
            .commands
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn failed_logins(&self) -> usize {
        self.shared
            .failed_logins
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Answers `code` (e.g. 451 or 550) at the end of DATA for the next `n` messages.
    pub fn reject_next(&self, code: u16, n: usize) {
        let mut b = self
            .shared
            .behaviour
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        b.reject_next.extend(std::iter::repeat_n(code, n));
    }

    /// Answers `code` (e.g. 550 or 450) to `RCPT TO` for `address`, as a server does for a
    /// mailbox it does not have; other recipients of the same message are accepted.
    pub fn refuse_recipient(&self, address: &str, code: u16) {
        let mut b = self
            .shared
            .behaviour
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        b.refused_recipients
            .push((address.to_ascii_lowercase(), code));
    }

    /// From the next connection on (or back to normal with `false`): the sink sends its
    /// `220` greeting and then nothing, whatever the client says, keeping the connection
    /// open, as a wedged or tarpitting server does.
    pub fn set_silent_after_greeting(&self, silent: bool) {
        self.shared
            .behaviour
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .silent_after_greeting = silent;
    }

    /// Connections accepted so far (silent ones included).
    pub fn connections(&self) -> usize {
        self.shared
            .connections
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Stops listening and drops open connections: connections are refused until
    /// [`SmtpSink::resume`].
    pub fn pause(&mut self) {
        self.server.pause();
    }

    /// Listens again on the same port.
    pub fn resume(&mut self) -> anyhow::Result<()> {
        self.server.resume()
    }

    /// Waits until `pred` holds for the messages so far.
    pub fn wait_for(&self, timeout: Duration, pred: impl Fn(&[ReceivedMail]) -> bool) -> bool {
        wait_until(timeout, || self.mails(), |m| pred(m))
    }
}

/// A test authority and a certificate for 127.0.0.1 and localhost signed by it; writes the
/// authority's certificate to `ca_path`.
fn tls_acceptor(ca_path: &std::path::Path) -> anyhow::Result<TlsAcceptor> {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate()?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "attctl testkit SMTP CA");
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate()?;
    let mut leaf_params =
        CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    let leaf = leaf_params.signed_by(&leaf_key, &issuer)?;
    std::fs::write(ca_path, ca_cert.pem()).context("writing the test CA")?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// One connection's dialogue.
async fn serve(shared: Arc<Shared>, tcp: tokio::net::TcpStream) -> anyhow::Result<()> {
    let mut tls_on = false;
    let mut stream: Box<dyn Stream> = match (&shared.security, &shared.tls) {
        (SmtpSecurity::Implicit, Some(acceptor)) => {
            tls_on = true;
            Box::new(acceptor.accept(tcp).await?)
        }
        _ => Box::new(tcp),
    };
    shared
        .connections
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    stream
        .write_all(b"220 attctl-testkit ESMTP ready\r\n")
        .await?;
    let silent = shared
        .behaviour
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .silent_after_greeting;
    if silent {
        // Read (so the client's writes succeed) and never answer, until it hangs up.
        let mut sink = [0u8; 1024];
        while tokio::io::AsyncReadExt::read(&mut stream, &mut sink).await? > 0 {}
        return Ok(());
    }
    let mut reader = BufReader::new(stream);
    let mut authed: Option<String> = None;
    let mut mail_from: Option<String> = None;
    let mut rcpt: Vec<String> = Vec::new();
    let mut greeted = false;
    loop {
        let Some(line) = read_line(&mut reader).await? else {
            return Ok(());
        };
        let upper = line.to_ascii_uppercase();
        let verb = upper.split_whitespace().next().unwrap_or("").to_string();
        shared
            .commands
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(if verb == "AUTH" {
                upper
                    .split_whitespace()
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                line.clone()
            });
        let w = reader.get_mut();
        match verb.as_str() {
            "EHLO" | "HELO" => {
                greeted = true;
                mail_from = None;
                rcpt.clear();
                if verb == "HELO" {
                    w.write_all(b"250 attctl-testkit\r\n").await?;
                    continue;
                }
                let mut ext = vec!["attctl-testkit greets you", "8BITMIME", "SIZE 10485760"];
                let offer_tls = shared.security == SmtpSecurity::StartTls && !tls_on;
                if offer_tls {
                    ext.push("STARTTLS");
                }
                // AUTH only over an encrypted connection when STARTTLS is on offer, as
                // real submission servers do.
                if shared.credentials.is_some() && !offer_tls {
                    ext.push("AUTH PLAIN LOGIN");
                }
                let mut out = String::new();
                for (i, e) in ext.iter().enumerate() {
                    let sep = if i + 1 == ext.len() { ' ' } else { '-' };
                    out.push_str(&format!("250{sep}{e}\r\n"));
                }
                w.write_all(out.as_bytes()).await?;
            }
            "STARTTLS" => {
                let Some(acceptor) = shared.tls.clone().filter(|_| !tls_on) else {
                    w.write_all(b"502 5.5.1 STARTTLS not offered\r\n").await?;
                    continue;
                };
                w.write_all(b"220 2.0.0 Ready to start TLS\r\n").await?;
                w.flush().await?;
                let inner = reader.into_inner();
                let tls = acceptor.accept(inner).await?;
                tls_on = true;
                greeted = false;
                authed = None;
                reader = BufReader::new(Box::new(tls) as Box<dyn Stream>);
            }
            "AUTH" => {
                let Some((user, pass)) = shared.credentials.clone() else {
                    w.write_all(b"502 5.5.1 AUTH not offered\r\n").await?;
                    continue;
                };
                if !greeted {
                    w.write_all(b"503 5.5.1 EHLO first\r\n").await?;
                    continue;
                }
                let mech = upper.split_whitespace().nth(1).unwrap_or("").to_string();
                let initial = line.split_whitespace().nth(2).map(str::to_string);
                let given: Option<(String, String)> = match mech.as_str() {
                    "PLAIN" => {
                        let b64 = match initial {
                            Some(b) => b,
                            None => {
                                reader.get_mut().write_all(b"334 \r\n").await?;
                                read_line(&mut reader).await?.unwrap_or_default()
                            }
                        };
                        decode(&b64).and_then(|raw| {
                            let mut parts = raw.split('\0');
                            let _authzid = parts.next()?;
                            Some((parts.next()?.to_string(), parts.next()?.to_string()))
                        })
                    }
                    "LOGIN" => {
                        let u = match initial {
                            Some(b) => b,
                            None => {
                                // "Username:"
                                reader.get_mut().write_all(b"334 VXNlcm5hbWU6\r\n").await?;
                                read_line(&mut reader).await?.unwrap_or_default()
                            }
                        };
                        // "Password:"
                        reader.get_mut().write_all(b"334 UGFzc3dvcmQ6\r\n").await?;
                        let p = read_line(&mut reader).await?.unwrap_or_default();
                        decode(&u).zip(decode(&p))
                    }
                    _ => {
                        reader
                            .get_mut()
                            .write_all(b"504 5.5.4 mechanism not supported\r\n")
                            .await?;
                        continue;
                    }
                };
                let w = reader.get_mut();
                if given.as_ref() == Some(&(user.clone(), pass)) {
                    authed = Some(user);
                    w.write_all(b"235 2.7.0 Authentication successful\r\n")
                        .await?;
                } else {
                    shared
                        .failed_logins
                        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    w.write_all(b"535 5.7.8 Authentication credentials invalid\r\n")
                        .await?;
                }
            }
            "MAIL" => {
                if !greeted {
                    w.write_all(b"503 5.5.1 EHLO first\r\n").await?;
                } else if shared.credentials.is_some() && authed.is_none() {
                    w.write_all(b"530 5.7.0 Authentication required\r\n")
                        .await?;
                } else {
                    mail_from = Some(path_of(&line));
                    rcpt.clear();
                    w.write_all(b"250 2.1.0 Ok\r\n").await?;
                }
            }
            "RCPT" => {
                if mail_from.is_none() {
                    w.write_all(b"503 5.5.1 MAIL first\r\n").await?;
                } else {
                    let address = path_of(&line);
                    let refused = shared
                        .behaviour
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .refused_recipients
                        .iter()
                        .find(|(a, _)| a.eq_ignore_ascii_case(&address))
                        .map(|(_, code)| *code);
                    match refused {
                        Some(code) => {
                            let enhanced = if code >= 500 { "5.1.1" } else { "4.2.1" };
                            let reply = format!(
                                "{code} {enhanced} <{address}>: Recipient address rejected\r\n"
                            );
                            w.write_all(reply.as_bytes()).await?;
                        }
                        None => {
                            rcpt.push(address);
                            w.write_all(b"250 2.1.5 Ok\r\n").await?;
                        }
                    }
                }
            }
            "DATA" => {
                let Some(from) = mail_from.take().filter(|_| !rcpt.is_empty()) else {
                    w.write_all(b"503 5.5.1 MAIL and RCPT first\r\n").await?;
                    continue;
                };
                w.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let mut data = String::new();
                loop {
                    let Some(l) = read_line(&mut reader).await? else {
                        return Ok(());
                    };
                    if l == "." {
                        break;
                    }
                    // Dot-unstuffing (RFC 5321 4.5.2).
                    let l = l.strip_prefix('.').unwrap_or(&l);
                    data.push_str(l);
                    data.push_str("\r\n");
                }
                let code = shared
                    .behaviour
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .reject_next
                    .pop_front()
                    .unwrap_or(250);
                shared
                    .mails
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(ReceivedMail {
                        mail_from: from,
                        rcpt_to: std::mem::take(&mut rcpt),
                        data,
                        auth_user: authed.clone(),
                        tls: tls_on,
                        answered: code,
                        at: SystemTime::now(),
                    });
                let reply = match code {
                    250 => "250 2.0.0 Ok: queued as attctl-testkit\r\n".to_string(),
                    c if c < 500 => format!("{c} 4.3.0 Try again later (testkit)\r\n"),
                    c => format!("{c} 5.7.1 Message rejected (testkit)\r\n"),
                };
                reader.get_mut().write_all(reply.as_bytes()).await?;
            }
            "RSET" => {
                mail_from = None;
                rcpt.clear();
                w.write_all(b"250 2.0.0 Ok\r\n").await?;
            }
            "NOOP" => w.write_all(b"250 2.0.0 Ok\r\n").await?,
            "QUIT" => {
                w.write_all(b"221 2.0.0 Bye\r\n").await?;
                w.flush().await?;
                return Ok(());
            }
            _ => w.write_all(b"500 5.5.2 Command not recognized\r\n").await?,
        }
        reader.get_mut().flush().await?;
    }
}

/// One line without its CRLF; `None` at the end of the stream.
async fn read_line(reader: &mut BufReader<Box<dyn Stream>>) -> anyhow::Result<Option<String>> {
    let mut buf = Vec::new();
    let n = reader.read_until(b'\n', &mut buf).await?;
    if n == 0 {
        return Ok(None);
    }
    while matches!(buf.last(), Some(b'\n' | b'\r')) {
        buf.pop();
    }
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

fn decode(b64: &str) -> Option<String> {
    STANDARD
        .decode(b64.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
}

/// The address in `MAIL FROM:<a@b> SIZE=1` or `RCPT TO:<a@b>`.
fn path_of(line: &str) -> String {
    match (line.find('<'), line.find('>')) {
        (Some(a), Some(b)) if b > a => line[a + 1..b].to_string(),
        _ => line
            .split_once(':')
            .map(|(_, r)| r.trim().to_string())
            .unwrap_or_default(),
    }
}
