"""Mail over STARTTLS and implicit TLS with authentication, against a real aiosmtpd server
with a certificate from a test authority the client is told to trust."""

import datetime as dt
import ssl
import uuid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy.ext.asyncio import AsyncSession

from oms.integrations.mailer import OutgoingEmail, SmtpMailer, parse_smtp_url
from tests.events.services import _Collector, free_port


def _certificates(directory: Path) -> tuple[Path, Path, Path]:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OMS test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, cert_file, key_file = (
        directory / "ca.pem",
        directory / "cert.pem",
        directory / "key.pem",
    )
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_file, cert_file, key_file


def _authenticate(
    server: SMTP, session: object, envelope: object, mechanism: str, data: object
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        b"mailer",
        b"s3cret:pw",
    )
    return AuthResult(success=ok)


@pytest.fixture
def tls_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    ca_file, cert_file, key_file = _certificates(tmp_path)
    # The client trusts the test authority the way a deployment trusts its own CA.
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    return cert_file, key_file


def _server(cert: Path, key: Path, *, implicit: bool) -> tuple[Controller, _Collector]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    collector = _Collector()
    if implicit:
        # TLS from the first byte: the server cannot tell, so AUTH must not wait for STARTTLS.
        controller = Controller(
            collector,
            hostname="localhost",
            port=free_port(),
            ssl_context=context,
            authenticator=_authenticate,
            auth_required=True,
            auth_require_tls=False,
        )
    else:
        controller = Controller(
            collector,
            hostname="localhost",
            port=free_port(),
            tls_context=context,
            require_starttls=True,
            authenticator=_authenticate,
            auth_required=True,
        )
    return controller, collector


def _mail() -> OutgoingEmail:
    return OutgoingEmail(
        sender="shop@example.com",
        recipients=["buyer@example.com"],
        subject="Hello",
        html="<p>Hi</p>",
        text="Hi",
        event_id=uuid.uuid4(),
        configuration_id=uuid.uuid4(),
    )


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
@pytest.mark.parametrize("implicit", [False, True])
async def test_mail_is_sent_over_tls_with_authentication(
    tls_files: tuple[Path, Path], implicit: bool
) -> None:
    controller, collector = _server(*tls_files, implicit=implicit)
    controller.start()
    try:
        scheme = "smtps" if implicit else "smtp"
        query = "" if implicit else "?starttls=true"
        url = f"{scheme}://mailer:s3cret%3Apw@localhost:{controller.port}{query}"
        reply = await SmtpMailer(parse_smtp_url(url)).send(AsyncSession(), _mail())
    finally:
        controller.stop()
    assert "OK" in reply or "accepted" in reply
    assert [mail.recipients for mail in collector.mails] == [["buyer@example.com"]]
