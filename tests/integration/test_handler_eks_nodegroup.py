from tests.integration.conftest import round_trip


def test_node_groups_scale_to_zero_and_back(park_sdk, seed):
    eks = seed("eks")
    role = "arn:aws:iam::123456789012:role/eks"
    eks.create_cluster(name="prod", roleArn=role, resourcesVpcConfig={"subnetIds": ["subnet-1"]})
    eks.create_nodegroup(
        clusterName="prod",
        nodegroupName="general",
        nodeRole=role,
        subnets=["subnet-1"],
        scalingConfig={"minSize": 1, "maxSize": 5, "desiredSize": 2},
    )
    before, parked, after = round_trip(park_sdk, "eks:nodegroup")
    assert before["prod/general"] == {"min": 1, "max": 5, "desired": 2, "status": "ACTIVE"}
    assert parked["prod/general"]["desired"] == 0 and parked["prod/general"]["min"] == 0
    assert after == before
