"""Signs' QR symbols are the ones qrcode makes, their masks chosen by the numpy scorer."""

import io
import random

import numpy as np
import qrcode
import zxingcpp
from PIL import Image
from qrcode.util import lost_point

from guide.render import qr
from guide.render.qrmask import penalty

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def test_penalty_points_are_qrcodes_own():
    rng = np.random.default_rng(4)
    for size in (21, 25, 29, 33, 41, 57, 77):
        for _ in range(20):
            modules = rng.random((size, size)) < rng.uniform(0.2, 0.8)
            assert penalty(modules) == lost_point(modules.tolist())


def test_codes_are_the_symbols_qrcode_chooses_and_they_decode():
    rng = random.Random(8)
    texts = [
        "HTTPS://DITICH.EXAMPLE.VN/S/" + "".join(rng.choice(ALPHABET) for _ in range(length))
        for length in range(4, 60, 3)
    ] + [
        "http://localhost:5000/S/7K2Q",
        "https://di-tich.example.vn/s/đình",
        # Versions 7 and above carry version bits.
        "HTTPS://DITICH.EXAMPLE.VN/S/" + "7K2Q" * 40,
        "https://di-tich.example.vn/sites/" + "đình-chèm-" * 30,
    ]
    for text in texts:
        for ec in ("Q", "H"):
            code = qr.make_code(text, ec)
            reference = qrcode.QRCode(error_correction=qr.EC_LEVELS[ec], border=0)
            if qr.fits_alphanumeric(text):
                reference.add_data(
                    qrcode.util.QRData(text.encode("ascii"), mode=qrcode.util.MODE_ALPHA_NUM)
                )
            else:
                reference.add_data(text)
            reference.make(fit=True)
            assert code.version == reference.version
            assert [list(row) for row in code.modules] == reference.modules
    image = Image.open(io.BytesIO(qr.png(qr.make_code(texts[0]), 40)))
    assert [found.text for found in zxingcpp.read_barcodes(image)] == [texts[0]]
