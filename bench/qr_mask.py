"""Benchmark choosing QR masks: the numpy scorer against qrcode's own, same run, same symbols.

    python bench/qr_mask.py        # 300 sign addresses at level Q, twice

Each address is made into a symbol by ``qrcode.QRCode.make(fit=True)`` (the
baseline: eight masks drawn and scored in Python) and by
``guide.render.qrmask.make_symbol``; the script checks that both give the same
modules and prints the CPU time of each per symbol.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

import qrcode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guide.render.qrmask import make_symbol

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def main() -> None:
    rng = random.Random(1)
    texts = [
        "HTTPS://DITICH.EXAMPLE.VN/S/" + "".join(rng.choice(ALPHABET) for _ in range(4, 9))
        for _ in range(300)
    ]
    for _ in range(2):
        baseline = numpy_time = 0.0
        for text in texts:
            old = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=0)
            old.add_data(text)
            started = time.process_time()
            old.make(fit=True)
            baseline += time.process_time() - started
            new = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=0)
            new.add_data(text)
            started = time.process_time()
            make_symbol(new)
            numpy_time += time.process_time() - started
            assert new.modules == old.modules
        per = 1000 / len(texts)
        print(
            f"load {os.getloadavg()[0]:.2f}: qrcode make {baseline * per:.2f} ms CPU a symbol, "
            f"numpy mask {numpy_time * per:.2f} ms, same symbols"
        )


if __name__ == "__main__":
    main()
