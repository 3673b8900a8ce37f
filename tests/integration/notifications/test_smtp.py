"""The mailer against a real SMTP server (devmail) that requires STARTTLS and
a login: it upgrades, authenticates, verifies the certificate, keeps its
connection, and reports what went wrong when something does."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from services.notifications.adapters.mailer import Mailer, SendFailed
from services.notifications.adapters.settings import SmtpSettings
from tests.support.mailsink import MailSink
from tests.support.platform import Platform


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def secure_sink(
    platform: Platform, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[MailSink, Path]]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = self_signed(folder)
    sink = MailSink(
        folder,
        platform.env,
        ("--tls-cert", str(cert), "--tls-key", str(key), "--auth", "mailer:s3 pw"),
    ).start()
    yield sink, cert
    sink.stop()


def message(to: str, message_id: str) -> EmailMessage:
    m = EmailMessage()
    m["From"] = "Sister Cities <notifications@example.org>"
    m["To"] = to
    m["Subject"] = "Hello"
    m["Message-ID"] = message_id
    m.set_content("hello")
    return m


def settings(sink: MailSink, cert: Path, userinfo: str, tls: str = "") -> SmtpSettings:
    query = f"?tls={tls}" if tls else ""
    return SmtpSettings.from_url(
        f"smtp://{userinfo}@127.0.0.1:{sink.smtp_port}/{query}", 5, str(cert)
    )


def test_starttls_then_login_and_the_connection_is_kept(
    secure_sink: tuple[MailSink, Path],
) -> None:
    sink, cert = secure_sink
    mailer = Mailer(settings(sink, cert, "mailer:s3%20pw"))
    mailer.send(message("a@town.example", "<tls-1@example.org>"))
    kept = mailer._idle[0]
    mailer.send(message("b@town.example", "<tls-2@example.org>"))
    assert mailer._idle == [kept]  # one connection for both
    assert isinstance(kept.sock, ssl.SSLSocket)  # upgraded by STARTTLS
    got = {m["message_id"] for m in sink.messages()}
    assert {"<tls-1@example.org>", "<tls-2@example.org>"} <= got
    mailer.close()


def test_a_wrong_password_or_no_tls_is_reported_and_may_be_retried(
    secure_sink: tuple[MailSink, Path],
) -> None:
    sink, cert = secure_sink
    with pytest.raises(SendFailed) as refused:
        Mailer(settings(sink, cert, "mailer:wrong")).send(
            message("a@town.example", "<tls-3@example.org>")
        )
    assert "login refused" in str(refused.value) and not refused.value.permanent
    plain = SmtpSettings.from_url(f"smtp://127.0.0.1:{sink.smtp_port}/?tls=off", 5)
    with pytest.raises(SendFailed) as refused:
        Mailer(plain).send(message("a@town.example", "<tls-4@example.org>"))
    assert not refused.value.permanent


def test_an_unknown_certificate_is_refused(secure_sink: tuple[MailSink, Path]) -> None:
    sink, _ = secure_sink
    untrusted = SmtpSettings.from_url(f"smtp://mailer:x@127.0.0.1:{sink.smtp_port}", 5)
    with pytest.raises(SendFailed) as refused:
        Mailer(untrusted).send(message("a@town.example", "<tls-5@example.org>"))
    assert "CERTIFICATE_VERIFY_FAILED" in str(refused.value)


def test_a_password_is_never_sent_without_tls() -> None:
    with pytest.raises(ValueError, match="never sent without TLS"):
        SmtpSettings.from_url("smtp://user:pw@mail.example/?tls=off")
