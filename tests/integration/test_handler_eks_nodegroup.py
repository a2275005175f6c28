from tests.integration.conftest import round_trip
from tests.integration.park_fixtures import seed_nodegroup


def test_node_groups_scale_to_zero_and_back(park_sdk, seed):
    seed_nodegroup(seed, "general", 1, 2, 5)
    before, parked, after = round_trip(park_sdk, "eks:nodegroup")
    assert before["prod/general"] == {"min": 1, "max": 5, "desired": 2, "status": "ACTIVE"}
    assert parked["prod/general"]["desired"] == 0 and parked["prod/general"]["min"] == 0
    assert after == before
