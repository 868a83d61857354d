"""Content Credentials (C2PA) with ``c2pa-python``: sign a generated image, then read and validate it.

Everything is offline. :func:`make_test_pki` creates a throwaway certificate
chain (root -> intermediate -> signer) with ``cryptography`` at run time;
signing uses no timestamp authority and no thumbnail; reading never fetches
remote manifests. The signer certificate carries the extended key usage
*emailProtection*, which c2pa-python 0.38 accepts with its default settings.

A reader reports one of three states:

- ``"Trusted"``: the signature is sound and the signer's chain reaches a trust anchor you gave;
- ``"Valid"``: the signature is sound, but nobody you trust vouches for the signer;
- ``"Invalid"``: the image or the manifest changed after signing.

A file without a manifest (for example re-saved by an editor, which drops it)
carries no credentials at all: :func:`read_credentials` then reports
``"No manifest"``, which proves nothing about where the file came from.

Used in: lessons/08_watermarks_and_provenance, :mod:`workshop_utils.provenance.robustness`.
"""

from __future__ import annotations

import datetime as _dt
import html
import io
import json
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._validate import check_int

__all__ = [
    "AI_GENERATED",
    "CredentialReport",
    "MissingSigningMaterialError",
    "TestPKI",
    "UnreadableManifestError",
    "make_test_pki",
    "manifest_json",
    "read_credentials",
    "sign_image",
    "strip_metadata",
    "tamper_pixels_keep_manifest",
]

#: IPTC digital source type for media made by a trained model.
AI_GENERATED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MANIFEST_CHUNK = b"caBX"  # the PNG chunk in which C2PA stores its manifest store


class MissingSigningMaterialError(ValueError):
    """The certificate chain or the private key needed to sign is missing, malformed, or does not match."""


class UnreadableManifestError(ValueError):
    """The file carries C2PA data that the library cannot parse."""


@dataclass(frozen=True)
class TestPKI:
    """A throwaway certificate chain for teaching: never sign anything real with it.

    Attributes
    ----------
    root_pem : str
        The root certificate; give it to a reader as a trust anchor.
    chain_pem : bytes
        The signer's certificate, then the intermediate's (no root): what the signer sends.
    key_pem : bytes
        The signer's private key (PKCS#8 PEM).
    signer_name, issuer_name : str
        Common names, as a reader shows them.
    """

    __test__ = False  # not a pytest test class, despite its name

    root_pem: str
    chain_pem: bytes
    key_pem: bytes
    signer_name: str
    issuer_name: str

    def __repr__(self) -> str:  # never print the private key
        return f"TestPKI(signer={self.signer_name!r}, issuer={self.issuer_name!r})"


def make_test_pki(signer_name: str = "Workshop Demo Generator", organisation: str = "Synthetic Media Workshop",
                  days: int = 3650) -> TestPKI:
    """Create a root CA, an intermediate CA and an ES256 (P-256) signer certificate, offline.

    Parameters
    ----------
    signer_name : str
        The signer certificate's common name (what a reader shows as "signed by").
    organisation : str
        The organisation named in all three certificates.
    days : int
        Validity of the certificates.

    Returns
    -------
    TestPKI
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    for label, value in (("signer_name", signer_name), ("organisation", organisation)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{label} must be a non-empty string")
    check_int("days", days, minimum=1)
    now = _dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(minutes=5)

    def name(common_name: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)])

    def usage(ca: bool) -> x509.KeyUsage:
        return x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                             data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                             encipher_only=False, decipher_only=False)

    def certificate(subject, subject_key, issuer, issuer_key, ca: bool):
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
                   .public_key(subject_key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now).not_valid_after(now + _dt.timedelta(days=days))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                   .add_extension(usage(ca), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key()), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                                  critical=False))
        if not ca:
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                                            critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    def pem(cert) -> bytes:
        return cert.public_bytes(serialization.Encoding.PEM)

    root_key, mid_key, leaf_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root_name, mid_name = name(f"{organisation} Teaching Root CA"), name(f"{organisation} Teaching Intermediate CA")
    root = certificate(root_name, root_key, root_name, root_key, ca=True)
    mid = certificate(mid_name, mid_key, root_name, root_key, ca=True)
    leaf = certificate(name(signer_name), leaf_key, mid_name, mid_key, ca=False)
    key_pem = leaf_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
    return TestPKI(root_pem=pem(root).decode("ascii"), chain_pem=pem(leaf) + pem(mid), key_pem=key_pem,
                   signer_name=signer_name, issuer_name=f"{organisation} Teaching Intermediate CA")


def _png_bytes(image: Any, name: str = "image") -> bytes:
    from PIL import Image

    if isinstance(image, (bytes, bytearray)):
        data = bytes(image)
    elif isinstance(image, (str, Path)):
        data = Path(image).read_bytes()
    elif isinstance(image, Image.Image):
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        data = buffer.getvalue()
    else:
        raise TypeError(f"{name} must be PNG bytes, a path to a PNG file or a PIL image, got {type(image).__name__}")
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError(f"{name} must be a PNG file (these functions handle PNG only)")
    return data


def sign_image(image: Any, pki: TestPKI, *, author: str, title: str = "generated.png",
               software: str = "workshop_utils", software_version: str = "0.1",
               digital_source_type: str = AI_GENERATED) -> bytes:
    """Sign ``image`` with Content Credentials and return the signed PNG bytes.

    The manifest says who made the image (a schema.org CreativeWork author) and
    how (a ``c2pa.created`` action with ``digital_source_type``).

    Parameters
    ----------
    image : PIL.Image.Image, bytes or path
        A PNG image.
    pki : TestPKI
        The signing material (see :func:`make_test_pki`).
    author : str
        The name to put in the manifest.
    title, software, software_version : str
        Recorded in the manifest.
    digital_source_type : str
        An IPTC digital source type; by default :data:`AI_GENERATED`.

    Raises
    ------
    MissingSigningMaterialError
        If ``pki`` is not a TestPKI with a chain and a key, or the key does not match the certificate.
    """
    import c2pa

    if not isinstance(pki, TestPKI) or not pki.chain_pem or not pki.key_pem:
        raise MissingSigningMaterialError(
            f"pki must be a TestPKI with a certificate chain and a private key (make one with make_test_pki()); "
            f"got {type(pki).__name__}")
    if not isinstance(author, str) or not author.strip():
        raise ValueError("author must be a non-empty name")
    data = _png_bytes(image)
    manifest = {
        "claim_generator_info": [{"name": software, "version": software_version}],
        "title": title,
        "assertions": [
            {"label": "c2pa.actions", "data": {"actions": [{
                "action": "c2pa.created", "digitalSourceType": digital_source_type,
                "softwareAgent": {"name": software, "version": software_version}}]}},
            {"label": "stds.schema-org.CreativeWork",
             "data": {"@context": "https://schema.org", "@type": "CreativeWork",
                      "author": [{"@type": "Person", "name": author}]}},
        ],
    }
    try:  # ta_url None: no timestamp authority, so nothing goes over the network
        signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, pki.chain_pem, pki.key_pem,
                                                           None))
    except (c2pa.C2paError, TypeError) as exc:
        raise MissingSigningMaterialError(f"the certificate chain or the key was rejected: {exc}") from exc
    context = c2pa.Context.from_dict({"builder": {"thumbnail": {"enabled": False}}})
    target = io.BytesIO()
    with c2pa.Builder(manifest, context=context) as builder:
        try:
            builder.sign(signer, "image/png", io.BytesIO(data), target)
        except c2pa.C2paError.Signature as exc:
            raise MissingSigningMaterialError(
                f"signing failed; check that the private key belongs to the signer's certificate: {exc}") from exc
    return target.getvalue()


@dataclass
class CredentialReport:
    """What a reader learns from a file's Content Credentials, ready to show as a table.

    Attributes
    ----------
    state : str
        ``"Trusted"``, ``"Valid"``, ``"Invalid"`` or ``"No manifest"``.
    failures : list of str
        The validation failure codes, e.g. ``"assertion.dataHash.mismatch"``.
    title, author, action, digital_source_type, software, signer, issuer, algorithm : str or None
        What the active manifest says.
    raw : dict or None
        The active manifest as the library returns it.
    """

    state: str
    failures: list[str] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    action: str | None = None
    digital_source_type: str | None = None
    software: str | None = None
    signer: str | None = None
    issuer: str | None = None
    algorithm: str | None = None
    raw: dict | None = None

    @property
    def verdict(self) -> str:
        """What the state means, in a few words."""
        return {
            "Trusted": "intact, and signed by someone on your trust list",
            "Valid": "intact, but the signer is not on your trust list",
            "Invalid": "changed after signing: do not rely on it",
            "No manifest": "no Content Credentials: this proves nothing either way",
        }.get(self.state, self.state)

    def rows(self) -> list[tuple[str, str]]:
        """(question, answer) pairs in plain words."""
        if self.state == "No manifest":
            return [("Content Credentials", "none found: the file carries no C2PA manifest"),
                    ("What this proves", "nothing: any re-save can drop credentials, and most files never had any")]
        made = {AI_GENERATED: "by a trained AI model (trainedAlgorithmicMedia)"}.get(
            self.digital_source_type or "", self.digital_source_type or "not stated")
        return [
            ("Validation", f"{self.state}: {self.verdict}"),
            ("Title", self.title or "-"),
            ("Author", self.author or "not stated"),
            ("How it was made", made),
            ("Action", self.action or "-"),
            ("Software", self.software or "-"),
            ("Signed by", f"{self.signer or '?'} (certificate from {self.issuer or '?'}, {self.algorithm or '?'})"),
            ("Problems found", "; ".join(self.failures) or "none"),
        ]

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><th scope='row' style='text-align:left'>{html.escape(k)}</th>"
                       f"<td style='text-align:left'>{html.escape(v)}</td></tr>" for k, v in self.rows())
        return f"<table><caption>Content Credentials</caption><tbody>{body}</tbody></table>"

    def __repr__(self) -> str:
        return str(self)

    def __str__(self) -> str:
        width = max(len(k) for k, _ in self.rows())
        return "\n".join(f"{k.ljust(width)}  {v}" for k, v in self.rows())


def read_credentials(image: Any, trust_anchors: str | None = None) -> CredentialReport:
    """Read and validate the C2PA manifest of a PNG image, offline.

    Parameters
    ----------
    image : PIL.Image.Image, bytes or path
        A PNG image (a PIL image is re-encoded first, which drops any manifest).
    trust_anchors : str, optional
        PEM text of the root certificates you trust (e.g. ``pki.root_pem``). Without
        it a sound signature is only ``"Valid"``.

    Raises
    ------
    UnreadableManifestError
        If the file carries C2PA data that cannot be parsed.
    """
    import c2pa

    data = _png_bytes(image)
    settings: dict[str, Any] = {"verify": {"remote_manifest_fetch": False}}
    if trust_anchors is not None:
        if not isinstance(trust_anchors, str) or "BEGIN CERTIFICATE" not in trust_anchors:
            raise ValueError("trust_anchors must be PEM text of one or more certificates (e.g. pki.root_pem)")
        settings["trust"] = {"user_anchors": trust_anchors}
    context = c2pa.Context.from_dict(settings)
    try:
        reader = c2pa.Reader("image/png", io.BytesIO(data), context=context)
    except c2pa.C2paError.ManifestNotFound:
        return CredentialReport(state="No manifest")
    except c2pa.C2paError as exc:
        raise UnreadableManifestError(f"the file's C2PA data could not be read: {exc}") from exc
    with reader:
        state = reader.get_validation_state()
        results = reader.get_validation_results() or {}
        manifest = reader.get_active_manifest() or {}
    failures = [str(f.get("code")) for f in (results.get("activeManifest") or {}).get("failure", [])]
    report = CredentialReport(state=str(state), failures=failures, title=manifest.get("title"), raw=manifest)
    for assertion in manifest.get("assertions", []):
        label, content = assertion.get("label", ""), assertion.get("data", {})
        if label.startswith("c2pa.actions"):
            first = (content.get("actions") or [{}])[0]
            report.action = first.get("action")
            report.digital_source_type = first.get("digitalSourceType")
            agent = first.get("softwareAgent")
            report.software = agent.get("name") if isinstance(agent, dict) else agent
        elif label == "stds.schema-org.CreativeWork":
            report.author = ", ".join(a.get("name", "?") for a in content.get("author") or []) or None
    info = manifest.get("signature_info") or {}
    report.signer, report.issuer, report.algorithm = info.get("common_name"), info.get("issuer"), info.get("alg")
    return report


def manifest_json(report: CredentialReport) -> str:
    """The raw active manifest of ``report`` as indented JSON (for the curious)."""
    return json.dumps(report.raw or {}, indent=2)


def strip_metadata(image: Any) -> bytes:
    """Re-save a PNG with Pillow, as an editor or an upload pipeline might: the pixels stay, the manifest goes."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.open(io.BytesIO(_png_bytes(image))).save(buffer, "PNG")
    return buffer.getvalue()


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, payload) chunks of a PNG file."""
    chunks, position = [], len(_PNG_SIGNATURE)
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        chunks.append((data[position + 4:position + 8], data[position + 8:position + 8 + length]))
        position += 12 + length
    return chunks


def _assemble(chunks: list[tuple[bytes, bytes]]) -> bytes:
    return _PNG_SIGNATURE + b"".join(struct.pack(">I", len(payload)) + kind + payload
                                     + struct.pack(">I", zlib.crc32(kind + payload)) for kind, payload in chunks)


def tamper_pixels_keep_manifest(signed: bytes, box: tuple[int, int, int, int] = (100, 100, 110, 110)) -> bytes:
    """Invert the pixels in ``box`` of a signed PNG, then copy its manifest back in: a forger's move.

    Editing pixels and saving drops the manifest; this puts the original manifest
    chunk back into the edited file, so a reader finds a manifest whose hash of
    the image no longer matches.

    Parameters
    ----------
    signed : bytes
        A PNG signed with :func:`sign_image`.
    box : (left, top, right, bottom)
        The pixels to invert.
    """
    import numpy as np
    from PIL import Image

    data = _png_bytes(signed, "signed")
    manifest = [c for c in _chunks(data) if c[0] == _MANIFEST_CHUNK]
    if not manifest:
        raise ValueError("signed carries no C2PA manifest to keep: sign it with sign_image() first")
    left, top, right, bottom = (int(v) for v in box)
    pixels = np.array(Image.open(io.BytesIO(data)).convert("RGB"))
    if not (0 <= left < right <= pixels.shape[1] and 0 <= top < bottom <= pixels.shape[0]):
        raise ValueError(f"box {box} must lie inside the {pixels.shape[1]}x{pixels.shape[0]} image")
    pixels[top:bottom, left:right] = 255 - pixels[top:bottom, left:right]
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    edited = _chunks(buffer.getvalue())
    first_data = next(i for i, c in enumerate(edited) if c[0] == b"IDAT")
    return _assemble(edited[:first_data] + manifest + edited[first_data:])
