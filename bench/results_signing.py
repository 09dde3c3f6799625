"""Benchmark: PAdES signatures per second with the demo key size (RSA 2048, SHA-256).

    .venv/bin/python bench/results_signing.py [--count 50]

Makes a throw-away test PKI in a temporary directory, renders one result document with the
project's layout (results/documents.py), then times, on one core: one signature (the seal), the
head's signature plus the seal (what an approval does), and pyHanko's validation of the
two-signature file. Prints the median per operation and the rate, with the machine.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
# The setup (demo data, keys) runs as the demo does; settings default to production.
os.environ.setdefault("DJANGO_DEBUG", "1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    from accounts.models import Unit
    from bench.machine import describe
    from results.documents import RESULT_TYPES, ResultFacts, result_render
    from results.pki import KEY_SIZE, demo_pki_create
    from results.signing import configured_signers, pdf_sign
    from results.verification import pdf_verify

    with tempfile.TemporaryDirectory() as tmp:
        paths = demo_pki_create(root=Path(tmp), password="bench", unit_name="Sở Tư pháp",
                                head_name="Lãnh đạo", organisation="UBND tỉnh")
        settings.MOTCUA_SIGNING_PKCS12, settings.MOTCUA_SIGNING_PKCS12_PASSWORD = \
            str(paths.unit), "bench"
        settings.MOTCUA_SIGNING_HEAD_PKCS12, settings.MOTCUA_SIGNING_HEAD_PKCS12_PASSWORD = \
            str(paths.head), "bench"
        settings.MOTCUA_TRUST_ROOTS = [str(paths.ca_cert)]
        unit = Unit(code="000.00.15.H99", name="Sở Tư pháp tỉnh Thử nghiệm")
        facts = ResultFacts(
            uid="00000000-0000-4000-8000-000000000000", title="Giấy khai sinh",
            result_code="KQ.G15.000031", document_number="1/GCN-STP", issuer=unit,
            issued_at=datetime.now(UTC), valid_until=None, owner_name="Trần Thị Bích",
            owner_id_number="056185004321", owner_address="Nha Trang",
            procedure_name="Đăng ký khai sinh", procedure_code="1.001193", dossier_code="X",
            summary="", signer_name="Lãnh đạo", signer_title="Giám đốc",
            verify_url="https://example.vn/xac-thuc/")
        pdf = result_render(facts, RESULT_TYPES["certificate"])
        both = configured_signers()
        seal = [s for s in both if s.role == "seal"]
        pdf_sign(pdf, signer_list=both, reason="warm-up", location="x")  # loads the keys

        def timed(fn) -> list[float]:
            out = []
            for _ in range(args.count):
                start = time.perf_counter()
                fn()
                out.append(time.perf_counter() - start)
            return out

        render_t = timed(lambda: result_render(facts, RESULT_TYPES["certificate"]))
        one = timed(lambda: pdf_sign(pdf, signer_list=seal, reason="b", location="x"))
        two = timed(lambda: pdf_sign(pdf, signer_list=both, reason="b", location="x"))
        signed = pdf_sign(pdf, signer_list=both, reason="b", location="x").content
        check = timed(lambda: pdf_verify(signed))

    print(f"Machine: {describe()}")
    print(f"RSA {KEY_SIZE}, SHA-256, PAdES (ETSI.CAdES.detached); document {len(pdf)} bytes; "
          f"{args.count} runs each, one process")
    for label, runs in (("render result PDF", render_t), ("sign: seal only", one),
                        ("sign: head + seal", two), ("verify 2 signatures", check)):
        median = statistics.median(runs)
        print(f"  {label:22} median {median * 1000:7.1f} ms  → {1 / median:6.1f} per second")


if __name__ == "__main__":
    main()
