"""A small catalogue for story-page tests: sites around Đình Chèm's point in several states.

Test data only: the names and stories of the sites other than Đình Chèm are
made up for the tests and never shipped.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from builders import site_facts, write_site
from PIL import Image

from guide.catalogue.geo import Areas

CHEM = (21.094072, 105.774237)
# Metres south of Đình Chèm for each test site (one degree of latitude is about 110.6 km).
SOUTH_M = {
    "gan": 330,
    "xa-hon": 900,
    "ngoai-tam": 2600,
    "nhap": 200,
    "luu-tru": 150,
    "doc-hai": 1200,
}
PHOTO_SIZE = (1600, 1000)

UNSAFE_STORY = """Đoạn mở đầu.

<script>document.title = "hacked"</script>
<img src="x" onerror="document.title = 'hacked'">
<p onclick="document.title = 'hacked'">Đoạn có sự kiện.</p>
<a href="javascript:document.title='hacked'">liên kết độc</a>
<iframe src="https://example.com/"></iframe>
"""


def point_south(metres: float) -> tuple[float, float]:
    """Return a point ``metres`` due south of Đình Chèm."""
    return CHEM[0] - metres / 110_600, CHEM[1]


@lru_cache(maxsize=4)
def _areas(path: Path) -> Areas:
    return Areas.from_geojson(path, "level2_id", "name")


def area_of(root: Path, lat: float, lon: float) -> str:
    """Return the id of the catalogue area that contains (lat, lon)."""
    found = _areas(root / "areas.geojson").locate(lat, lon)
    assert found is not None, (lat, lon)
    return found.id


def make_photo(path: Path, size: tuple[int, int] = PHOTO_SIZE) -> Path:
    """Write a JPEG of a colour gradient of ``size`` pixels to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    across = Image.linear_gradient("L").rotate(90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    Image.merge("RGB", (across, down, Image.new("L", size, 90))).save(path, "JPEG", quality=85)
    return path


def nearby_site(root: Path, slug: str, code: str, status: str, name_vi: str, **extra) -> dict:
    """Return the facts of a test site south of Đình Chèm."""
    lat, lon = point_south(SOUTH_M[slug])
    return site_facts(
        code=code,
        slug=slug,
        status=status,
        name={"vi": name_vi, "en": name_vi + " (EN)"},
        kind="communal-house",
        rank="",
        lat=round(lat, 6),
        lon=lon,
        area=area_of(root, lat, lon),
        **extra,
    )


def build(root: Path) -> Path:
    """Fill the empty catalogue ``root`` with the story-page test sites."""
    chem = site_facts(
        media=[
            {
                "file": "photos/cong.jpg",
                "caption": {"vi": "Cổng đình", "en": "The gate"},
                "credit": "Ảnh thử nghiệm",
                "licence": "CC0",
            },
            {"file": "photos/san.jpg", "caption": {"vi": "Sân đình"}, "credit": "Ảnh thử nghiệm"},
        ]
    )
    write_site(
        root,
        chem,
        {"vi": "# Lịch sử\n\nĐình Chèm thờ Lý Ông Trọng.", "en": "# History\n\nThe Chèm house."},
    )
    make_photo(root / "dinh-chem" / "photos" / "cong.jpg")
    make_photo(root / "dinh-chem" / "photos" / "san.jpg", (800, 1200))
    write_site(
        root,
        nearby_site(root, "gan", "G2AN", "published", "Đình Gần"),
        {"vi": "Chỉ có bản tiếng Việt."},
    )
    write_site(root, nearby_site(root, "xa-hon", "X2AH", "published", "Chùa Xa Hơn"))
    write_site(root, nearby_site(root, "ngoai-tam", "N2GT", "published", "Đền Ngoài Tầm"))
    write_site(root, nearby_site(root, "nhap", "N2AP", "draft", "Miếu Nháp"))
    write_site(
        root,
        nearby_site(root, "luu-tru", "Q2UT", "archived", "Nhà Lưu Trữ"),
        {"vi": "Câu chuyện cũ.", "en": "An old story."},
    )
    write_site(
        root,
        nearby_site(root, "doc-hai", "D2CH", "published", "Đình Độc Hại"),
        {"vi": UNSAFE_STORY},
    )
    return root


PHOTO_MEDIA = [
    {"file": "photos/test-1.jpg", "caption": {"vi": "Ảnh 1", "en": "Test photo 1"}, "credit": "T"},
    {"file": "photos/test-2.jpg", "caption": {"vi": "Ảnh 2", "en": "Test photo 2"}, "credit": "T"},
]
