from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ec2_elastic_ip import SPEC, Ec2ElasticIpHandler
from tests.integration.stubs import StubbedClients


def test_addresses_are_discovered_and_released(aws, location, seed):
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
    # moto releases an associated address outright; real AWS refuses (see the Stubber test)
    assert aws.counter.calls[("ec2", "DisassociateAddress")] == 0
    assert ec2.describe_addresses()["Addresses"] == []


def test_an_address_released_since_discovery_is_gone(aws, location, seed):
    ec2 = seed("ec2")
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    handler = Ec2ElasticIpHandler(aws)
    [found] = handler.discover(location, [])
    ec2.release_address(AllocationId=allocation)
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE


def test_an_address_still_in_use_is_disassociated_then_released():
    stub = StubbedClients("ec2")
    stub.error(
        "release_address", "InvalidIPAddress.InUse", "Address is in use", {"AllocationId": "eipalloc-1"}
    )
    stub.reply(
        "describe_addresses", {"Addresses": [{"AllocationId": "eipalloc-1", "AssociationId": "eipassoc-1"}]}
    )
    stub.reply("disassociate_address", {}, {"AssociationId": "eipassoc-1"})
    stub.reply("release_address", {}, {"AllocationId": "eipalloc-1"})
    address = Resource("ec2:elastic-ip", "eipalloc-1", "1", "r", attributes={"association_id": "eipassoc-1"})
    [result] = Ec2ElasticIpHandler(stub).delete(Location("1", "r"), [address])
    assert result.kind is OutcomeKind.DONE
    stub.stubber.assert_no_pending_responses()


def test_an_address_freed_by_termination_costs_one_call():
    stub = StubbedClients("ec2")
    stub.reply("release_address", {}, {"AllocationId": "eipalloc-1"})
    address = Resource("ec2:elastic-ip", "eipalloc-1", "1", "r", attributes={"association_id": "stale"})
    [result] = Ec2ElasticIpHandler(stub).delete(Location("1", "r"), [address])
    assert result.kind is OutcomeKind.DONE


def test_an_associated_address_is_in_use_and_a_free_one_idle(aws, location, seed):
    ec2 = seed("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    bound = ec2.allocate_address(Domain="vpc")["AllocationId"]
    free = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=bound, InstanceId=instance)
    handler = Ec2ElasticIpHandler(aws)
    found = {r.id: r for r in handler.discover(location, [])}
    assert [u.usage_type for u in handler.usage(found[bound])] == ["PublicIPv4:InUseAddress"]
    assert [u.usage_type for u in handler.usage(found[free])] == ["PublicIPv4:IdleAddress"]


def test_discovery_records_the_address_pool():
    # moto answers no PublicIpv4Pool; AWS does ("amazon", or the BYOIP pool's ID)
    stub = StubbedClients("ec2")
    stub.reply(
        "describe_addresses",
        {
            "Addresses": [
                {"AllocationId": "eipalloc-1", "PublicIp": "3.3.3.3", "PublicIpv4Pool": "amazon"},
                {"AllocationId": "eipalloc-2", "PublicIp": "4.4.4.4", "PublicIpv4Pool": "ipv4pool-ec2-1"},
            ]
        },
    )
    handler = Ec2ElasticIpHandler(stub)
    amazon, byoip = handler.discover(Location("1", "us-east-1"), [])
    assert amazon.attributes["public_ipv4_pool"] == "amazon"
    assert [u.quantity for u in handler.usage(amazon)] == [1.0]
    assert [u.quantity for u in handler.usage(byoip)] == [0.0]


def test_the_address_of_a_nat_gateway_waits_for_the_gateway():
    # moto releases it at once; AWS keeps a NAT gateway's address in use until the gateway is
    # deleted and refuses to disassociate it, so addresses come after NAT gateways
    assert "ec2:nat-gateway" in SPEC.requires
    stub = StubbedClients("ec2")
    stub.error(
        "release_address", "InvalidIPAddress.InUse", "Address is in use", {"AllocationId": "eipalloc-1"}
    )
    stub.reply(
        "describe_addresses", {"Addresses": [{"AllocationId": "eipalloc-1", "AssociationId": "eipassoc-1"}]}
    )
    stub.error(
        "disassociate_address", "AuthFailure", "You do not have permission to access the specified resource."
    )
    stub.error(
        "release_address", "InvalidIPAddress.InUse", "Address is in use", {"AllocationId": "eipalloc-1"}
    )
    address = Resource("ec2:elastic-ip", "eipalloc-1", "1", "r", attributes={"association_id": "eipassoc-1"})
    [result] = Ec2ElasticIpHandler(stub).delete(Location("1", "r"), [address])
    assert result.kind is OutcomeKind.NOT_YET
