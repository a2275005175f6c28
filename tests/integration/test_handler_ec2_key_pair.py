from costzero.domain.outcomes import OutcomeKind
from costzero.infrastructure.aws.handlers.ec2_key_pair import Ec2KeyPairHandler


def test_discovers_and_deletes_key_pairs(aws, location, seed):
    ec2 = seed("ec2")
    ec2.create_key_pair(
        KeyName="alpha",
        TagSpecifications=[{"ResourceType": "key-pair", "Tags": [{"Key": "keep", "Value": "true"}]}],
    )
    ec2.create_key_pair(KeyName="beta")
    handler = Ec2KeyPairHandler(aws)

    found = {r.name: r for r in handler.discover(location, [location.region])}
    assert set(found) == {"alpha", "beta"}
    assert found["alpha"].tags == {"keep": "true"}

    outcomes = handler.delete(location, list(found.values()))
    assert {o.kind for o in outcomes} == {OutcomeKind.DONE}
    assert handler.discover(location, [location.region]) == []


def test_deleting_a_vanished_key_pair_is_idempotent(aws, location, seed):
    seed("ec2").create_key_pair(KeyName="gone-soon")
    handler = Ec2KeyPairHandler(aws)
    [pair] = handler.discover(location, [location.region])
    seed("ec2").delete_key_pair(KeyName="gone-soon")
    [result] = handler.delete(location, [pair])
    assert result.kind.is_success
