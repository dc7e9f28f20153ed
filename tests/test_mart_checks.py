"""The mart expectation suites (real Great Expectations) accept good marts and catch broken ones."""

import pandas as pd

from pipelines.expectations import run_suites


def talenta(**changes) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "asn_key": ["0123456789abcdef", "fedcba9876543210"],
            "kotak_talenta": [9, None],
            "terprofil": [True, False],
            "kategori_kesiapan": ["SIAP", "TIDAK_DAPAT_DINILAI"],
            "ip_asn_skor": [80.0, 50.0],
            "jpm": [85.0, None],
            "tmt_pensiun": pd.to_datetime(["2040-01-01", "2045-02-01"]),
        }
    )
    for column, (row, value) in changes.items():
        frame.loc[row, column] = value
    return frame


def failed(frame: pd.DataFrame, suite: str) -> set[tuple[str, str]]:
    return {(e.type, e.kolom) for e in run_suites({suite: frame})[suite].failed}


def test_a_good_talent_mart_passes():
    assert failed(talenta(), "mart_talenta_asn") == set()


def test_talent_mart_rules_catch_what_analysts_must_never_see():
    assert failed(talenta(kotak_talenta=(1, 3)), "mart_talenta_asn") == {
        ("expect_column_values_to_be_null", "kotak_talenta")
    }, "a box for someone not profiled"
    assert ("expect_column_values_to_be_between", "kotak_talenta") in failed(
        talenta(kotak_talenta=(0, 10)), "mart_talenta_asn"
    )
    assert ("expect_column_values_to_be_unique", "asn_key") in failed(
        talenta(asn_key=(1, "0123456789abcdef")), "mart_talenta_asn"
    )


def test_talent_map_suppression_and_percentages():
    peta = pd.DataFrame(
        {
            "level": ["NASIONAL", "PROVINSI", "PROVINSI"],
            "kotak_talenta": [1, None, 5],
            "jumlah": [10, None, 0],
            "persen": [50.0, None, 0.0],
            "ditekan": [False, True, False],
        }
    )
    assert failed(peta, "mart_peta_talenta") == set()
    broken = peta.copy()
    broken.loc[1, "persen"] = 40.0  # the share of a suppressed count, published
    broken.loc[1, "ditekan"] = False
    broken.loc[0, "persen"] = 120.0
    assert failed(broken, "mart_peta_talenta") == {
        ("expect_column_values_to_be_null", "persen"),
        ("expect_column_values_to_be_in_set", "ditekan"),
        ("expect_column_values_to_not_be_null", "jumlah"),
        ("expect_column_values_to_be_between", "persen"),
    }
