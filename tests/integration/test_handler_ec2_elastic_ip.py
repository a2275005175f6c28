from costzero.domain.outcomes import OutcomeKind
from costzero.infrastructure.aws.handlers.ec2_elastic_ip import Ec2ElasticIpHandler


def test_associated_addresses_are_disassociated_then_released(aws, location, seed):
    ec2 = seed("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    bound = ec2.allocate_address(Domain="vpc")["AllocationId"]
    free = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=bound, InstanceId=instance)
    handler = Ec2ElasticIpHandler(aws)
    found = {r.id: r for r in handler.discover(location, [])}
    assert set(found) == {bound, free}
    assert found[bound].attributes["instance_id"] == instance
    assert {o.kind for o in handler.delete(location, list(found.values()))} == {OutcomeKind.DONE}
    assert aws.counter.calls[("ec2", "DisassociateAddress")] == 1
    assert ec2.describe_addresses()["Addresses"] == []


def test_an_address_released_since_discovery_is_gone(aws, location, seed):
    ec2 = seed("ec2")
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    handler = Ec2ElasticIpHandler(aws)
    [found] = handler.discover(location, [])
    ec2.release_address(AllocationId=allocation)
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE
