"""The staff workspace explains mistakes in the page's language: Vietnamese first, then English.

The messages come from the catalogue's own checks (the ones ``guide check``
prints in English); the pages translate them. Through the HTTP test client.
"""

from __future__ import annotations

import io
import re

import pytest
from babel.messages.pofile import read_po
from browsing import csrf_token, form_fields, sign_in
from bs4 import BeautifulSoup
from builders import add_near_twin
from PIL import Image

from guide import PROJECT_ROOT
from guide.catalogue.checks import check_catalogue
from guide.catalogue.index import load_catalogue

SLUG = "dinh-chem"
TRANSLATIONS = PROJECT_ROOT / "guide" / "translations"
LIBRARY_PACKAGES = ("guide/catalogue/", "guide/workspace/", "guide/tours/")


def vietnamese_client(app):
    """Return a client whose browser states no language: the workspace speaks Vietnamese."""
    client = app.test_client()
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE", None)
    assert sign_in(client, "admin").status_code == 302
    return client


def soup(response) -> BeautifulSoup:
    """Parse a response's HTML."""
    return BeautifulSoup(response.data, "html.parser")


def messages_of(response, name: str) -> list[str]:
    """Return the messages shown next to a field (or the point section for 'point')."""
    holder = soup(response).select_one("#point-feedback" if name == "point" else f"#help-{name}")
    assert holder is not None, name
    return [p.get_text(" ", strip=True) for p in holder.select("p.error, p.warning")]


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        (
            {"lat": "105.774237", "lon": "21.094072"},
            "point",
            "vĩ độ và kinh độ có vẻ bị đảo ngược: hãy đổi lại thành lat = 21.094072, "
            "lon = 105.774237 (điểm này nằm ở Quận Bắc Từ Liêm)",
        ),
        (
            {"lat": "10.7769", "lon": "106.7009"},
            "point",
            "(10.7769, 106.7009) nằm ngoài mọi khu vực trong areas.geojson: hãy kiểm tra lại điểm",
        ),
        (
            {"point_text": "gần bờ sông"},
            "point_text",
            "'gần bờ sông' không phải là một điểm: hãy dán \"21.094072, 105.774237\", "
            '"21°05′38.7″N 105°46′27.3″E", hoặc một liên kết từ OpenStreetMap hay Google Maps',
        ),
        (
            {"opening_hours": "sáng"},
            "opening_hours",
            "'sáng': hãy ghi các khoảng giờ như '08:00-11:30, 13:30-17:00', hoặc để trống",
        ),
        ({"visit_minutes": "5000"}, "visit_minutes", "Số phải từ 1 đến 1440."),
        ({"visit_minutes": "lâu"}, "visit_minutes", "Không phải số nguyên hợp lệ."),
        ({"name_vi": ""}, "name_vi", "Cần điền ô này."),
        ({"address": "đ" * 501}, "address", "Tối đa 500 ký tự (hiện có 501): hãy rút gọn."),
        (
            {"kind": "giếng"},
            "kind",
            "'giếng' không phải một loại hình của danh mục: hãy dùng một trong communal-house, "
            "temple, pagoda, museum, memorial, monument, revolutionary, memorial-house, "
            "historic-site, archaeological, architecture, landscape, artefact, other",
        ),
    ],
)
def test_messages_next_to_fields_are_in_vietnamese(staff_app, changes, field, expected):
    client = vietnamese_client(staff_app)
    data = form_fields(client.get(f"/admin/sites/{SLUG}").data)
    data.update(changes)
    data["action"] = "save"
    response = client.post(f"/admin/sites/{SLUG}", data=data)
    assert response.status_code == 422
    assert expected in messages_of(response, field)


def test_the_same_message_in_english_is_what_guide_check_says(staff_app):
    client = staff_app.test_client()  # the staff tests' client asks for English
    sign_in(client, "admin")
    data = form_fields(client.get(f"/admin/sites/{SLUG}").data)
    data.update({"lat": "105.774237", "lon": "21.094072", "action": "save"})
    response = client.post(f"/admin/sites/{SLUG}", data=data)
    assert (
        "latitude and longitude look swapped: swap them to lat = 21.094072, lon = 105.774237 "
        "(which lies in Quận Bắc Từ Liêm)"
    ) in messages_of(response, "point")
    # The page's language wins over the browser's: ?lang=vi.
    again = client.post(f"/admin/sites/{SLUG}?lang=vi", data=data)
    assert any(m.startswith("vĩ độ và kinh độ") for m in messages_of(again, "point"))


def test_the_point_helper_answers_in_the_pages_language(staff_app):
    client = vietnamese_client(staff_app)
    swapped = client.get("/admin/api/point?lat=105.774&lon=21.094").get_json()
    assert [p["message"] for p in swapped["problems"]] == [
        "vĩ độ và kinh độ có vẻ bị đảo ngược: hãy đổi lại thành lat = 21.094, lon = 105.774 "
        "(điểm này nằm ở Quận Bắc Từ Liêm)"
    ]
    bad = client.get("/admin/api/point?text=https://maps.app.goo.gl/abc").get_json()
    assert "là liên kết rút gọn mà chỉ Google mới mở được" in bad["problems"][0]["message"]
    english = client.get("/admin/api/point?lat=105.774&lon=21.094&lang=en").get_json()
    assert english["problems"][0]["message"].startswith("latitude and longitude look swapped")


def test_a_refused_upload_is_explained_in_vietnamese(staff_app):
    client = vietnamese_client(staff_app)
    response = client.post(
        f"/admin/sites/{SLUG}/media",
        data={
            "media-csrf_token": csrf_token(client),
            "media-file": (io.BytesIO(b"not a photo at all\n" * 20), "anh.jpg"),
            "media-kind": "photo",
            "media-language": "vi",
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    flashes = [f.text for f in soup(response).select(".flash.error")]
    assert flashes == [
        "anh.jpg bị từ chối: tệp không phải ảnh JPEG, PNG hay WebP, dù tên tệp ghi thế nào: "
        "hãy tải lên ảnh ở một trong các định dạng này"
    ]


def test_a_media_text_too_long_is_explained_in_vietnamese(staff_app):
    client = vietnamese_client(staff_app)
    image = io.BytesIO()
    Image.new("RGB", (64, 48), (150, 20, 20)).save(image, "PNG")
    client.post(
        f"/admin/sites/{SLUG}/media",
        data={
            "media-csrf_token": csrf_token(client),
            "media-file": (io.BytesIO(image.getvalue()), "cong.png"),
            "media-kind": "photo",
        },
        content_type="multipart/form-data",
    )
    form = form_fields(client.get(f"/admin/sites/{SLUG}").data, "form#media-list")
    form.update({"item-0-licence": "x" * 101, "action": "save"})
    response = client.post(f"/admin/sites/{SLUG}/media/list", data=form)
    assert response.status_code == 422
    assert messages_of(response, "item-0-licence") == [
        "Tối đa 100 ký tự (hiện có 101): hãy rút gọn."
    ]


def test_check_warnings_in_the_list_are_in_vietnamese(staff_app, staff_sites):
    from guide.web import reload_catalogue

    add_near_twin(staff_sites)
    reload_catalogue(staff_app)
    english = [p.message for p in check_catalogue(load_catalogue(staff_sites))]
    name = "Đình Chèm (Đền Chèm, đền Lý Hiệu Úy)"
    assert f"4 m from dinh-chem ({name}) with a similar name: is it the same place? " in (
        " ".join(english)
    )
    page = soup(vietnamese_client(staff_app).get("/admin/"))
    flags = [f.text for f in page.select('tr[data-slug="dinh-chem-2"] .flag.warning')]
    assert (
        f"lat/lon: cách dinh-chem ({name}) 4 m và có tên tương tự: có phải cùng một nơi? "
        "Hãy gộp hai địa điểm hoặc sửa lại điểm"
    ) in flags
    assert any("chưa có trong codes.txt" in f for f in flags)


# --- The translations themselves -------------------------------------------------------


def _catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as stream:
        return read_po(stream)


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_every_message_of_the_checks_has_a_vietnamese_translation_with_the_same_values():
    vietnamese = _catalogue("vi")
    library = [
        message
        for message in vietnamese
        if message.id
        and any(path.startswith(LIBRARY_PACKAGES) for path, _line in message.locations)
    ]
    assert len(library) > 60
    for message in library:
        assert message.string and not message.fuzzy, message.id
        assert message.string != message.id, message.id
        assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(message.id)), (
            message.id
        )


def test_every_vietnamese_translation_fills_in_the_same_values():
    for message in _catalogue("vi"):
        if message.id and message.string and isinstance(message.id, str):
            assert set(PLACEHOLDER.findall(message.string)) == set(
                PLACEHOLDER.findall(message.id)
            ), message.id


def test_the_bulk_import_report_speaks_vietnamese(staff_app):
    client = vietnamese_client(staff_app)
    csv_text = (
        "slug,name_vi,name_en,lat,lon,address,ward,district,kind,rank,source_url,"
        "description_vi_or_en\n"
        "dinh-chem,Đình Chèm,,21.094072,105.774237,,,,đình,,,\n"
        "sai-quan,Sai quận,,,,,,Quận 99,đình,,,\n"
    )
    response = client.post(
        "/admin/import",
        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(csv_text.encode()), "moi.csv")},
        content_type="multipart/form-data",
    )
    reasons = {
        row.select("td")[1].text: row.select("td")[3].get_text(strip=True)
        for row in soup(response).select("table.import-report tbody tr")
    }
    assert reasons == {
        "dinh-chem": "trùng với dinh-chem (cùng slug)",
        "sai-quan": "district: 'Quận 99' không phải là một khu vực trong areas.geojson",
    }
