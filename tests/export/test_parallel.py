"""Pages of an export rendered in two processes: the same pages, and errors still named."""

from __future__ import annotations

import os

import pytest

from guide.export.build import BuildError
from guide.export.parallel import MIN_PAGES, Background, render_all


def page(address: str) -> tuple[bytes, str]:
    if address == "/sites/broken":
        raise BuildError(f"{address}: the guide answered 500")
    return f"{address} {os.getpid()}".encode(), "text/html"


ADDRESSES = [f"/sites/s{number}" for number in range(MIN_PAGES * 2)]


def test_two_processes_render_every_page_once():
    rendered = render_all(page, ADDRESSES, jobs=2)
    assert sorted(rendered) == sorted(ADDRESSES)
    for address, (body, mimetype) in rendered.items():
        assert body.startswith(f"{address} ".encode()) and mimetype == "text/html"
    pids = {body.split()[1] for body, _ in rendered.values()}
    assert len(pids) >= 2  # the building process and at least one worker


def test_a_page_that_fails_in_a_worker_names_its_address():
    with pytest.raises(BuildError, match="/sites/broken: the guide answered 500"):
        render_all(page, [*ADDRESSES, "/sites/broken"], jobs=2)


def test_a_few_pages_render_in_the_building_process():
    rendered = render_all(page, ADDRESSES[:3], jobs=2)
    assert {body.split()[1] for body, _ in rendered.values()} == {str(os.getpid()).encode()}


def test_pages_rendered_meanwhile_come_from_another_process_while_this_one_works():
    meanwhile = Background(page, ADDRESSES)
    here = render_all(page, ADDRESSES[:3], jobs=2)  # this process goes on meanwhile
    rendered = meanwhile.results()
    assert sorted(rendered) == sorted(ADDRESSES) and len(here) == 3
    for address, (body, mimetype) in rendered.items():
        assert body.startswith(f"{address} ".encode()) and mimetype == "text/html"
    pids = {body.split()[1] for body, _ in rendered.values()}
    assert len(pids) == 1 and str(os.getpid()).encode() not in pids
    assert meanwhile.pool is None  # the process ended with the results


def test_a_page_that_fails_meanwhile_names_its_address():
    meanwhile = Background(page, [*ADDRESSES, "/sites/broken"])
    with pytest.raises(BuildError, match="/sites/broken: the guide answered 500"):
        meanwhile.results()
    assert meanwhile.pool is None


def test_a_few_pages_meanwhile_render_in_the_building_process_when_asked():
    meanwhile = Background(page, ADDRESSES[:3])
    assert meanwhile.pool is None
    rendered = meanwhile.results()
    assert {body.split()[1] for body, _ in rendered.values()} == {str(os.getpid()).encode()}
