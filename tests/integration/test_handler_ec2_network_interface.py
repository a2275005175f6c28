from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Link, Location, Resource
from costzero.infrastructure.aws.handler_kit.vpc import owner
from costzero.infrastructure.aws.handlers.ec2_network_interface import Ec2NetworkInterfaceHandler
from tests.integration import vpc_shapes
from tests.integration.stubs import StubbedClients

LOCATION = Location("1", "us-east-1")


def _interface(ec2, subnet, name="eni"):
    return ec2.create_network_interface(
        SubnetId=subnet, Description="mine", TagSpecifications=vpc_shapes.tags("network-interface", name)
    )["NetworkInterface"]["NetworkInterfaceId"]


def test_discovers_and_deletes_free_interfaces(aws, location, seed):
    ec2 = seed("ec2")
    subnet = vpc_shapes.subnet(ec2, vpc_shapes.vpc(ec2))
    interface = _interface(ec2, subnet)
    handler = Ec2NetworkInterfaceHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == interface and found.name == "eni" and found.attributes["subnet_id"] == subnet
    assert found.links == ()
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.DONE]
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.GONE]  # idempotent
    assert handler.discover(location, []) == []


def test_an_attached_interface_is_linked_detached_then_deleted(aws, location, seed):
    ec2 = seed("ec2")
    subnet = vpc_shapes.subnet(ec2, vpc_shapes.vpc(ec2))
    instance = vpc_shapes.instance(ec2, subnet)
    extra = _interface(ec2, subnet, "extra")
    ec2.attach_network_interface(NetworkInterfaceId=extra, InstanceId=instance, DeviceIndex=1)
    handler = Ec2NetworkInterfaceHandler(aws)
    found = {r.id: r for r in handler.discover(location, [])}
    assert found[extra].links == (Link("ec2:instance", instance, "attached to"),)
    assert list(found) == [extra]  # the instance's own interface goes with it: not listed
    [detaching] = handler.delete(location, [found[extra]])
    assert detaching.kind is OutcomeKind.NOT_YET and instance in detaching.message
    assert aws.counter.calls[("ec2", "DetachNetworkInterface")] == 1
    [result] = handler.delete(location, [found[extra]])  # moto detaches at once: available now
    assert result.kind is OutcomeKind.DONE


def test_an_interface_attached_again_as_primary_waits_for_its_instance():
    # attached at device 0 since discovery (to the instance it was linked to): never detached
    stub = StubbedClients("ec2")
    attachment = {"AttachmentId": "eni-attach-1", "InstanceId": "i-1", "DeviceIndex": 0, "Status": "attached"}
    stub.reply(
        "describe_network_interfaces",
        {"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "Attachment": attachment}]},
    )
    primary = Resource(
        "ec2:network-interface", "eni-1", "1", "r", links=(Link("ec2:instance", "i-1", "attached to"),)
    )
    [result] = Ec2NetworkInterfaceHandler(stub).delete(LOCATION, [primary])
    assert result.kind is OutcomeKind.NOT_YET and result.blockers == ("i-1",)
    stub.stubber.assert_no_pending_responses()  # no detach: a primary interface cannot be detached


def test_an_interface_deleted_with_its_instance_is_gone_without_a_call():
    # AWS deletes a primary interface with its instance (moto keeps it attached): stubbed
    stub = StubbedClients("ec2")
    stub.reply("describe_network_interfaces", {"NetworkInterfaces": []})
    primary = Resource(
        "ec2:network-interface", "eni-1", "1", "r", links=(Link("ec2:instance", "i-1", "attached to"),)
    )
    [result] = Ec2NetworkInterfaceHandler(stub).delete(LOCATION, [primary])
    assert result.kind is OutcomeKind.GONE and result.message == "deleted with its instance"
    stub.stubber.assert_no_pending_responses()


def test_an_interface_attached_since_discovery_names_the_instance(aws, location, seed):
    ec2 = seed("ec2")
    subnet = vpc_shapes.subnet(ec2, vpc_shapes.vpc(ec2))
    interface = _interface(ec2, subnet)
    handler = Ec2NetworkInterfaceHandler(aws)
    found = [r for r in handler.discover(location, []) if r.id == interface]
    instance = vpc_shapes.instance(ec2, subnet)
    ec2.attach_network_interface(NetworkInterfaceId=interface, InstanceId=instance, DeviceIndex=1)
    [result] = handler.delete(location, found)
    assert result.kind is OutcomeKind.NOT_YET and result.blockers == (instance,)
    assert aws.counter.calls[("ec2", "DetachNetworkInterface")] == 0  # never detached from another


def test_an_interface_in_use_is_not_yet():
    # moto deletes an attached interface; AWS answers InvalidNetworkInterface.InUse
    stub = StubbedClients("ec2")
    stub.reply("describe_network_interfaces", {"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1"}]})
    stub.error("delete_network_interface", "InvalidNetworkInterface.InUse", "eni-1 is currently in use")
    [result] = Ec2NetworkInterfaceHandler(stub).delete(
        LOCATION, [Resource("ec2:network-interface", "eni-1", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET


def test_interfaces_aws_services_own_are_skipped_and_say_why():
    # moto creates no requester-managed interfaces: the listing is stubbed
    services = [
        {"NetworkInterfaceId": "eni-1", "RequesterManaged": True, "RequesterId": "amazon-elb"},
        {"NetworkInterfaceId": "eni-2", "InterfaceType": "nat_gateway"},
        {"NetworkInterfaceId": "eni-3", "InterfaceType": "lambda"},
        {"NetworkInterfaceId": "eni-4", "Operator": {"Managed": True, "Principal": "eks.amazonaws.com"}},
        {"NetworkInterfaceId": "eni-5", "OwnerId": "1", "Attachment": {"InstanceOwnerId": "amazon-rds"}},
        {"NetworkInterfaceId": "eni-6", "Description": "EFS mount target for fs-1"},
        {
            "NetworkInterfaceId": "eni-8",
            "Attachment": {"InstanceId": "i-1", "DeleteOnTermination": True, "Status": "attached"},
        },
        {
            "NetworkInterfaceId": "eni-9",
            "Attachment": {"InstanceId": "i-2", "DeviceIndex": 0, "Status": "attached"},
        },
    ]
    mine = {"NetworkInterfaceId": "eni-7", "InterfaceType": "interface", "OwnerId": "1"}
    assert [owner(i) for i in services] == [
        "requester-managed by amazon-elb",
        "an interface of type nat_gateway, deleted with its owner",
        "an interface of type lambda, deleted with its owner",
        "managed by eks.amazonaws.com",
        "attached to a resource of amazon-rds",
        "belongs to an EFS mount target",
        "goes with its instance i-1",
        "goes with its instance i-2",
    ]
    stub = StubbedClients("ec2")
    stub.reply("describe_network_interfaces", {"NetworkInterfaces": [*services, mine]})
    assert [r.id for r in Ec2NetworkInterfaceHandler(stub).discover(LOCATION, [])] == ["eni-7"]


def test_a_denied_detach_names_its_own_permission():
    stub = StubbedClients("ec2")
    attachment = {"AttachmentId": "eni-attach-1", "InstanceId": "i-1", "DeviceIndex": 1, "Status": "attached"}
    stub.reply(
        "describe_network_interfaces",
        {"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "Attachment": attachment}]},
    )
    stub.error("detach_network_interface", "UnauthorizedOperation", "not allowed")
    interface = Resource(
        "ec2:network-interface", "eni-1", "1", "r", links=(Link("ec2:instance", "i-1", "attached to"),)
    )
    [result] = Ec2NetworkInterfaceHandler(stub).delete(LOCATION, [interface])
    assert result.kind is OutcomeKind.DENIED and "ec2:DetachNetworkInterface" in result.message
