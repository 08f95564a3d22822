"""Communes like mine: size bands, the urban/rural class from Statbel's areas, comparable communes."""

from __future__ import annotations

import pytest

from pcs_graph.graph.likeness import Likeness, load_areas, size_band, urban_rural
from pcs_graph.graph.reference import CommuneDirectory


@pytest.fixture(scope="module")
def likeness() -> Likeness:
    return Likeness.load(CommuneDirectory.load())


def test_bands_and_classes_follow_their_thresholds():
    assert [size_band(n) for n in (9999, 10000, 24999, 25000, 49999, 50000, None)] == [
        "lt10k", "10k-25k", "10k-25k", "25k-50k", "25k-50k", "ge50k", None]
    assert (urban_rural(149.9), urban_rural(150.0), urban_rural(None)) == ("rural", "urban", None)


def test_the_areas_are_statbels_for_every_commune():
    areas = load_areas()
    assert len(areas) == 262
    assert round(areas["57081"]) == 215 and round(areas["93014"]) == 207  # Tournai, Couvin (Statbel: 215, 207 km²)
    assert round(sum(areas.values())) == 16903  # Wallonia: 16,901 km² for Statbel


def test_andenne_is_an_urban_commune_of_25_to_50_thousand(likeness):
    andenne = likeness.profile("92003")
    assert (andenne.band, andenne.klass) == ("25k-50k", "urban")
    assert 290 < andenne.density < 310


def test_comparable_communes_share_band_and_class_nearest_first(likeness):
    andenne = likeness.profile("92003")
    comparable = likeness.comparable("92003")
    assert comparable and all((p.band, p.klass) == (andenne.band, andenne.klass) for p in comparable)
    assert "92003" not in {p.nis for p in comparable}
    distances = [likeness.distance(andenne, p) for p in comparable]
    assert distances == sorted(distances)
    assert likeness.comparable_nis("92003") == {p.nis for p in comparable}
    daverdisse = likeness.profile("84016")
    assert daverdisse.klass == "rural" and "84016" not in likeness.comparable_nis("92003")


def test_the_apis_size_bands_are_the_same(likeness):
    from pcs_graph.api.catalog import size_band as api_size_band

    assert all(api_size_band(p.population) == p.band for p in likeness.profiles.values())
