"""The network part of a generated account: non-default VPCs with what lives in them, and a few
regional types that are often left loose (queues, topics, log groups, tables).

A VPC is drawn as data, like the rest of a shape (indexes into its own subnets, groups, route
tables), so that hypothesis can shrink a failing network to the smallest one that fails. It holds
1-3 subnets (one per zone), an internet gateway (none, detached or attached), maybe an egress-only
gateway, a NAT gateway with its Elastic IP, route tables associated with subnets (routes to the
internet or NAT gateway), a custom network ACL, an S3 gateway endpoint on route tables and an
interface endpoint in subnets, its own security groups, instances in its subnets (public or not,
with a second interface that outlives them), an application load balancer with a target group and
listener, a classic load balancer, a database in a DB subnet group (with a parameter group), an
ElastiCache subnet group (with a cluster), an EFS file system with mount targets, a Lambda function.

`seed_network` records, beside the ids, the order real AWS enforces on their deletion (see
`Seeded.link`); `census_network` lists them with plain boto3, leaving out the default VPC and the
parts every VPC comes with (main route table, default ACL, default security group).

The interfaces of a NAT gateway, an interface endpoint and an EFS mount target are the service's
(requester-managed, as the embedded moto now makes them too): no one's to delete, gone with their
owner; the census leaves them out, as costzero does.
"""

from __future__ import annotations

import functools
import io
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from hypothesis import strategies as st

if TYPE_CHECKING:
    from tests.integration.account_shapes import Seeded

NETWORK_TYPES = (
    "ec2:vpc",
    "ec2:subnet",
    "ec2:route-table",
    "ec2:network-acl",
    "ec2:internet-gateway",
    "ec2:egress-only-internet-gateway",
    "ec2:nat-gateway",
    "ec2:vpc-endpoint",
    "ec2:network-interface",
    "elbv2:load-balancer",
    "elbv2:target-group",
    "elb:load-balancer",
    "rds:db-instance",
    "rds:db-subnet-group",
    "rds:db-parameter-group",
    "elasticache:cache-cluster",
    "elasticache:subnet-group",
    "efs:file-system",
    "efs:mount-target",
    "lambda:function",
    "sqs:queue",
    "sns:topic",
    "logs:log-group",
    "dynamodb:table",
)
MAX_VPCS = 2  # per region
MAX_LOOSE = 2  # queues, topics, log groups, tables per region
ZONES = "abc"  # a subnet per zone
ROLE_TRUST = '{"Version": "2012-10-17", "Statement": []}'


@functools.cache
def client(service: str, region: str, endpoint_url: str) -> Any:
    """One plain client per (service, region, server) for the session: building one costs ~50 ms."""
    return boto3.client(service, region_name=region, endpoint_url=endpoint_url)


# -- shapes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    """Something with network interfaces in some of its VPC's subnets, using some of its groups
    (() -> the VPC's default group)."""

    subnets: tuple[int, ...]
    groups: tuple[int, ...] = ()


@dataclass(frozen=True)
class Table:
    subnets: tuple[int, ...]  # associated subnets (a subnet has at most one table)
    route: str  # default route to the "internet" gateway (attached), the "nat" gateway, or "none"


@dataclass(frozen=True)
class VpcGroup:
    ingress_from: tuple[int, ...]  # the VPC's groups named by its ingress rules (itself included)


@dataclass(frozen=True)
class VpcInstance:
    subnet: int
    groups: tuple[int, ...]  # () -> the VPC's default group
    public: bool  # a public IPv4 address (a mapped address while an internet gateway is attached)
    second_interface: bool  # a second interface, which outlives the instance (not deleted with it)


@dataclass(frozen=True)
class Database:
    subnets: tuple[int, ...]  # the DB subnet group's (two zones at least)
    groups: tuple[int, ...]
    instance: bool  # a DB instance in the subnet group, or the group alone
    parameter_group: bool  # a parameter group of its own (the instance uses it)


@dataclass(frozen=True)
class Cache:
    subnets: tuple[int, ...]  # the cache subnet group's
    groups: tuple[int, ...]
    cluster: bool  # a cluster in the subnet group, or the group alone


@dataclass(frozen=True)
class Vpc:
    subnets: int  # 1-3, one per zone
    gateway: str = "none"  # internet gateway: "none", "detached" or "attached"
    egress_only: bool = False
    nat: int | None = None  # subnet of a public NAT gateway (with its Elastic IP)
    tables: tuple[Table, ...] = ()
    acl: tuple[int, ...] | None = None  # a custom network ACL, associated with these subnets
    s3_endpoint: tuple[int, ...] | None = None  # a gateway endpoint on these route tables
    interface_endpoint: Placed | None = None
    groups: tuple[VpcGroup, ...] = ()
    instances: tuple[VpcInstance, ...] = ()
    alb: Placed | None = None  # in two subnets; internet-facing when the gateway is attached
    clb: Placed | None = None  # in one subnet; likewise
    database: Database | None = None
    cache: Cache | None = None
    file_system: Placed | None = None  # a mount target in each of these subnets
    function: Placed | None = None  # a Lambda function in these subnets (with one group at least)


@dataclass(frozen=True)
class Loose:
    queues: int = 0
    topics: int = 0
    log_groups: int = 0
    tables: int = 0


def _some(size: int, least: int = 0, most: int | None = None) -> st.SearchStrategy[tuple[int, ...]]:
    """A sorted set of `least` to `most` (default: all) indexes into a list of `size`."""
    if not size:
        return st.just(())
    chosen = st.sets(st.integers(0, size - 1), min_size=least, max_size=size if most is None else most)
    return chosen.map(lambda s: tuple(sorted(s)))


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def vpcs(draw: st.DrawFn) -> Vpc:
    subnets = draw(st.integers(1, len(ZONES)))
    gateway = draw(st.sampled_from(["none", "detached", "attached"]))
    nat = draw(_maybe(st.integers(0, subnets - 1)))
    routes = ["none", *(["internet"] if gateway == "attached" else []), *(["nat"] if nat is not None else [])]
    table_count = draw(st.integers(0, 2))
    owner = [draw(_maybe(st.integers(0, table_count - 1))) if table_count else None for _ in range(subnets)]
    tables = tuple(
        Table(tuple(s for s, t in enumerate(owner) if t == n), draw(st.sampled_from(routes)))
        for n in range(table_count)
    )
    groups = tuple(VpcGroup(()) for _ in range(draw(st.integers(0, 2))))
    groups = tuple(VpcGroup(draw(_some(len(groups), most=2))) for _ in groups)

    def placed(least: int, most: int | None = None) -> st.SearchStrategy[Placed]:
        return st.builds(Placed, _some(subnets, least, most), _some(len(groups), most=2))

    instances = tuple(
        VpcInstance(
            draw(st.integers(0, subnets - 1)),
            draw(_some(len(groups), most=2)),
            draw(st.booleans()),
            draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    two_zones = subnets >= 2  # a load balancer or a database needs two
    some_groups = _some(len(groups), most=2)
    database = st.builds(Database, _some(subnets, 2), some_groups, st.booleans(), st.booleans())
    cache = st.builds(Cache, _some(subnets, 1), some_groups, st.booleans())
    function = st.builds(Placed, _some(subnets, 1), _some(len(groups), 1, 2))  # one group at least
    return Vpc(
        subnets=subnets,
        gateway=gateway,
        egress_only=draw(st.booleans()),
        nat=nat,
        tables=tables,
        acl=draw(_maybe(_some(subnets))),
        s3_endpoint=draw(_maybe(_some(table_count))),
        interface_endpoint=draw(_maybe(placed(1))),
        groups=groups,
        instances=instances,
        alb=draw(_maybe(placed(2, 2))) if two_zones else None,
        clb=draw(_maybe(placed(1, 1))),
        database=draw(_maybe(database)) if two_zones else None,
        cache=draw(_maybe(cache)),
        file_system=draw(_maybe(placed(0))),
        function=draw(_maybe(function)) if groups else None,
    )


def networks() -> st.SearchStrategy[tuple[Vpc, ...]]:
    return st.lists(vpcs(), max_size=MAX_VPCS).map(tuple)


def loose() -> st.SearchStrategy[Loose]:
    count = st.integers(0, MAX_LOOSE)
    return st.builds(Loose, count, count, count, count)


# Every kind of network link, over two VPCs in one region and one in the other (see EVERY_LINK).
EVERY_NETWORK_LINK = (
    Vpc(  # the full estate: a public and a private side, everything in it
        subnets=3,
        gateway="attached",
        egress_only=True,
        nat=0,
        tables=(Table((0,), "internet"), Table((1, 2), "nat")),
        acl=(2,),
        s3_endpoint=(0, 1),
        interface_endpoint=Placed((1, 2), (0,)),
        groups=(VpcGroup(()), VpcGroup((0,)), VpcGroup((1, 2))),  # none, another, itself too
        instances=(VpcInstance(0, (0,), True, True), VpcInstance(1, (), False, False)),
        alb=Placed((0, 1), (0,)),
        clb=Placed((2,), (1,)),
        database=Database((1, 2), (2,), instance=True, parameter_group=True),
        cache=Cache((1, 2), (2,), cluster=True),
        file_system=Placed((0, 1), (1,)),
        function=Placed((1, 2), (0,)),
    ),
    Vpc(  # private: no internet gateway, internal load balancers, defaults for groups
        subnets=2,
        tables=(Table((), "none"),),
        s3_endpoint=(),
        interface_endpoint=Placed((0,)),
        instances=(VpcInstance(1, (), True, True),),
        alb=Placed((0, 1)),
        clb=Placed((0,)),
        database=Database((0, 1), (), instance=True, parameter_group=False),
        cache=Cache((0,), (), cluster=True),
        file_system=Placed((1,)),
    ),
)
EVERY_OTHER_NETWORK_LINK = (
    Vpc(  # a detached gateway; groups and subnet groups with nothing in them; a file system without
        subnets=2,  # mount targets
        gateway="detached",
        tables=(Table((1,), "none"),),
        acl=(0, 1),
        groups=(VpcGroup((0,)),),
        instances=(VpcInstance(1, (0,), False, True),),  # the group is only its and its second's
        database=Database((0, 1), (0,), instance=False, parameter_group=True),
        cache=Cache((0, 1), (0,), cluster=False),
        file_system=Placed(()),
    ),
)


# -- seeding -----------------------------------------------------------------------------------


def seed_network(region: str, vpcs: tuple[Vpc, ...], spare: Loose, endpoint_url: str, seeded: Seeded) -> None:
    """Create the region's VPCs and loose regional resources with plain boto3 clients."""
    for k, vpc in enumerate(vpcs):
        _VpcSeeder(region, f"shape-{region}-{k}", endpoint_url, seeded).seed(k, vpc)
    _seed_loose(region, spare, endpoint_url, seeded)


class _VpcSeeder:
    """Seeds one VPC and records, beside each resource's id, what real AWS makes wait for it."""

    def __init__(self, region: str, name: str, endpoint_url: str, seeded: Seeded) -> None:
        self.region, self.endpoint_url, self.seeded = region, endpoint_url, seeded
        self.name = name  # names are per region; ids of two regions must not meet either
        self.ec2 = self.client("ec2")
        self.subnets: list[str] = []
        self.groups: list[str] = []
        self.attached: str | None = None  # the internet gateway attached to the VPC

    def client(self, service: str) -> Any:
        return client(service, self.region, self.endpoint_url)

    def made(self, type_key: str, resource_id: str) -> tuple[str, str]:
        self.seeded.ids[type_key].add(resource_id)
        return (type_key, resource_id)

    def in_subnets(self, what: tuple[str, str], indexes: tuple[int, ...]) -> None:
        """`what` has interfaces in these subnets: DeleteSubnet answers DependencyViolation first."""
        for i in indexes:
            self.seeded.link(what, ("ec2:subnet", self.subnets[i]))

    def using(self, what: tuple[str, str], indexes: tuple[int, ...]) -> None:
        """`what` uses these groups (DeleteSecurityGroup: DependencyViolation while it does); no
        group -> the VPC's default group, which goes with the VPC."""
        for i in indexes:
            self.seeded.link(what, ("ec2:security-group", self.groups[i]))

    def mapped(self, what: tuple[str, str]) -> None:
        """`what` holds a public address in the VPC: DetachInternetGateway answers DependencyViolation
        ("has some mapped public address(es)") while it does."""
        if self.attached:
            self.seeded.link(what, ("ec2:internet-gateway", self.attached))

    def seed(self, k: int, shape: Vpc) -> None:
        ec2, link = self.ec2, self.seeded.link
        vpc = ec2.create_vpc(CidrBlock=f"10.{10 + k}.0.0/16")["Vpc"]["VpcId"]
        the_vpc = self.made("ec2:vpc", vpc)
        for n, zone in zip(range(shape.subnets), ZONES, strict=False):
            reply = ec2.create_subnet(
                VpcId=vpc, CidrBlock=f"10.{10 + k}.{n}.0/24", AvailabilityZone=f"{self.region}{zone}"
            )
            self.subnets.append(reply["Subnet"]["SubnetId"])
            # DeleteVpc: DependencyViolation while anything is in it (so for each link to the_vpc)
            link(self.made("ec2:subnet", self.subnets[-1]), the_vpc)
        if shape.gateway != "none":
            gateway = self.made(
                "ec2:internet-gateway", ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
            )
            if shape.gateway == "attached":
                ec2.attach_internet_gateway(InternetGatewayId=gateway[1], VpcId=vpc)
                self.attached = gateway[1]
                link(gateway, the_vpc)  # detached (by its delete) first
        if shape.egress_only:
            reply = ec2.create_egress_only_internet_gateway(VpcId=vpc)
            egress = reply["EgressOnlyInternetGateway"]["EgressOnlyInternetGatewayId"]
            link(self.made("ec2:egress-only-internet-gateway", egress), the_vpc)
        self._groups(vpc, shape, the_vpc)
        nat = self._nat(shape)
        tables = self._tables(vpc, shape, the_vpc, nat)
        self._acl(vpc, shape, the_vpc)
        self._endpoints(vpc, shape, the_vpc, tables)
        self._instances(shape)
        self._load_balancers(vpc, shape)
        if shape.database is not None:
            self._database(shape.database)
        if shape.cache is not None:
            self._cache(shape.cache)
        if shape.file_system is not None:
            self._file_system(shape.file_system)
        if shape.function is not None:
            self._function(shape.function)

    def _groups(self, vpc: str, shape: Vpc, the_vpc: tuple[str, str]) -> None:
        for n in range(len(shape.groups)):
            reply = self.ec2.create_security_group(
                GroupName=f"{self.name}-{n}", Description="shape", VpcId=vpc
            )
            self.seeded.link(self.made("ec2:security-group", reply["GroupId"]), the_vpc)
            self.groups.append(reply["GroupId"])
        for group, spec in zip(self.groups, shape.groups, strict=True):
            if spec.ingress_from:
                pairs = [{"GroupId": self.groups[i]} for i in spec.ingress_from]
                self.ec2.authorize_security_group_ingress(
                    GroupId=group,
                    IpPermissions=[
                        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": pairs}
                    ],
                )

    def _nat(self, shape: Vpc) -> str | None:
        if shape.nat is None:
            return None
        allocation = self.made("ec2:elastic-ip", self.ec2.allocate_address(Domain="vpc")["AllocationId"])
        reply = self.ec2.create_nat_gateway(SubnetId=self.subnets[shape.nat], AllocationId=allocation[1])
        nat = self.made("ec2:nat-gateway", reply["NatGateway"]["NatGatewayId"])
        self.in_subnets(nat, (shape.nat,))
        self.seeded.link(nat, allocation)  # ReleaseAddress: in use until the gateway is deleted
        self.mapped(nat)
        return nat[1]

    def _tables(self, vpc: str, shape: Vpc, the_vpc: tuple[str, str], nat: str | None) -> list[str]:
        tables = []
        for spec in shape.tables:
            table = self.made(
                "ec2:route-table", self.ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
            )
            tables.append(table[1])
            self.seeded.link(table, the_vpc)
            if spec.route == "internet" and self.attached:
                self.ec2.create_route(
                    RouteTableId=table[1], DestinationCidrBlock="0.0.0.0/0", GatewayId=self.attached
                )
            elif spec.route == "nat" and nat:
                self.ec2.create_route(
                    RouteTableId=table[1], DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat
                )
            for i in spec.subnets:
                self.ec2.associate_route_table(RouteTableId=table[1], SubnetId=self.subnets[i])
                # DeleteRouteTable: DependencyViolation while associated. costzero never moves a
                # subnet onto the main table: the association ends with the subnet
                self.seeded.link(("ec2:subnet", self.subnets[i]), table)
        return tables

    def _acl(self, vpc: str, shape: Vpc, the_vpc: tuple[str, str]) -> None:
        if shape.acl is None:
            return
        acl = self.made(
            "ec2:network-acl", self.ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
        )
        self.seeded.link(acl, the_vpc)
        for i in shape.acl:
            filters = [{"Name": "association.subnet-id", "Values": [self.subnets[i]]}]
            [current] = self.ec2.describe_network_acls(Filters=filters)["NetworkAcls"]
            [association] = [a for a in current["Associations"] if a["SubnetId"] == self.subnets[i]]
            self.ec2.replace_network_acl_association(
                AssociationId=association["NetworkAclAssociationId"], NetworkAclId=acl[1]
            )
            self.seeded.link(("ec2:subnet", self.subnets[i]), acl)  # likewise

    def _endpoints(self, vpc: str, shape: Vpc, the_vpc: tuple[str, str], tables: list[str]) -> None:
        if shape.s3_endpoint is not None:
            reply = self.ec2.create_vpc_endpoint(
                VpcId=vpc,
                ServiceName=f"com.amazonaws.{self.region}.s3",
                VpcEndpointType="Gateway",
                RouteTableIds=[tables[i] for i in shape.s3_endpoint],
            )  # AWS deletes its routes with it: nothing waits for it but the VPC
            self.seeded.link(self.made("ec2:vpc-endpoint", reply["VpcEndpoint"]["VpcEndpointId"]), the_vpc)
        if shape.interface_endpoint is not None:
            placed = shape.interface_endpoint
            chosen = [self.groups[i] for i in placed.groups]
            reply = self.ec2.create_vpc_endpoint(
                VpcId=vpc,
                ServiceName=f"com.amazonaws.{self.region}.sqs",
                VpcEndpointType="Interface",
                SubnetIds=[self.subnets[i] for i in placed.subnets],
                **({"SecurityGroupIds": chosen} if chosen else {}),
            )["VpcEndpoint"]
            endpoint = self.made("ec2:vpc-endpoint", reply["VpcEndpointId"])
            self.seeded.link(endpoint, the_vpc)
            self.in_subnets(endpoint, placed.subnets)  # its interfaces are in them
            self.using(endpoint, placed.groups)

    def _instances(self, shape: Vpc) -> None:
        if not shape.instances:
            return
        filters = [{"Name": "name", "Values": ["amzn2-ami-hvm-2.0.*"]}]
        image = self.ec2.describe_images(Owners=["amazon"], Filters=filters)["Images"][0]["ImageId"]
        for spec in shape.instances:
            chosen = [self.groups[i] for i in spec.groups]
            interface = {
                "DeviceIndex": 0,
                "SubnetId": self.subnets[spec.subnet],
                "AssociatePublicIpAddress": spec.public,
                **({"Groups": chosen} if chosen else {}),
            }
            reply = self.ec2.run_instances(
                ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro", NetworkInterfaces=[interface]
            )["Instances"][0]
            instance = self.made("ec2:instance", reply["InstanceId"])
            self.in_subnets(instance, (spec.subnet,))  # its primary interface is in it
            self.using(instance, spec.groups)
            if spec.public:
                self.mapped(instance)
            for mapping in reply.get("BlockDeviceMappings", []):  # AWS: VolumeInUse while attached
                self.seeded.link(instance, ("ec2:volume", mapping["Ebs"]["VolumeId"]))
            if spec.second_interface:
                created = self.ec2.create_network_interface(
                    SubnetId=self.subnets[spec.subnet], **({"Groups": chosen} if chosen else {})
                )
                second = self.made("ec2:network-interface", created["NetworkInterface"]["NetworkInterfaceId"])
                self.ec2.attach_network_interface(
                    NetworkInterfaceId=second[1], InstanceId=instance[1], DeviceIndex=1
                )
                # not deleted on termination: it stays, detached, after its instance
                self.in_subnets(second, (spec.subnet,))
                self.using(second, spec.groups)

    def _load_balancers(self, vpc: str, shape: Vpc) -> None:
        if shape.alb is not None:
            elbv2 = self.client("elbv2")
            chosen = self.groups_of(shape.alb)
            reply = elbv2.create_load_balancer(
                Name=f"{self.name}-alb",
                Subnets=[self.subnets[i] for i in shape.alb.subnets],
                Scheme="internet-facing" if self.attached else "internal",  # AWS: no gateway, no public
                **({"SecurityGroups": chosen} if chosen else {}),
            )
            balancer = self.made("elbv2:load-balancer", reply["LoadBalancers"][0]["LoadBalancerArn"])
            reply = elbv2.create_target_group(Name=f"{self.name}-tg", Protocol="HTTP", Port=80, VpcId=vpc)
            target = self.made("elbv2:target-group", reply["TargetGroups"][0]["TargetGroupArn"])
            elbv2.create_listener(
                LoadBalancerArn=balancer[1],
                Protocol="HTTP",
                Port=80,
                DefaultActions=[{"Type": "forward", "TargetGroupArn": target[1]}],
            )
            self.in_subnets(balancer, shape.alb.subnets)  # its interfaces, one per zone
            self.using(balancer, shape.alb.groups)
            self.seeded.link(balancer, target)  # ResourceInUse while its listener forwards to it
            if self.attached:
                self.mapped(balancer)
        if shape.clb is not None:
            chosen = self.groups_of(shape.clb)
            classic = self.made("elb:load-balancer", f"{self.name}-clb")
            self.client("elb").create_load_balancer(
                LoadBalancerName=classic[1],
                Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
                Subnets=[self.subnets[i] for i in shape.clb.subnets],
                **({"SecurityGroups": chosen} if chosen else {}),
                **({} if self.attached else {"Scheme": "internal"}),
            )
            self.in_subnets(classic, shape.clb.subnets)
            self.using(classic, shape.clb.groups)
            self.mapped(classic)
            if not chosen:  # AWS (and moto) make it a group of its own, default_elb_<id>, in the VPC
                [described] = self.client("elb").describe_load_balancers(LoadBalancerNames=[classic[1]])[
                    "LoadBalancerDescriptions"
                ]
                for group in described["SecurityGroups"]:
                    made = self.made("ec2:security-group", group)
                    self.seeded.link(classic, made)
                    self.seeded.link(made, ("ec2:vpc", vpc))

    def groups_of(self, placed: Placed | Database | Cache) -> list[str]:
        return [self.groups[i] for i in placed.groups]

    def _database(self, spec: Database) -> None:
        rds = self.client("rds")
        subnet_group = self.made("rds:db-subnet-group", f"{self.name}-db")
        rds.create_db_subnet_group(
            DBSubnetGroupName=subnet_group[1],
            DBSubnetGroupDescription="shape",
            SubnetIds=[self.subnets[i] for i in spec.subnets],
        )
        parameters = None
        if spec.parameter_group:
            parameters = self.made("rds:db-parameter-group", f"{self.name}-params")
            rds.create_db_parameter_group(
                DBParameterGroupName=parameters[1], DBParameterGroupFamily="postgres16", Description="shape"
            )
        if not spec.instance:
            return
        chosen = self.groups_of(spec)
        rds.create_db_instance(
            DBInstanceIdentifier=f"{self.name}-db",
            DBInstanceClass="db.t3.micro",
            Engine="postgres",
            AllocatedStorage=20,
            MasterUsername="shape",
            MasterUserPassword="shape-password-1",
            DBSubnetGroupName=subnet_group[1],
            PubliclyAccessible=False,
            **({"VpcSecurityGroupIds": chosen} if chosen else {}),
            **({"DBParameterGroupName": parameters[1]} if parameters else {}),
        )
        database = self.made("rds:db-instance", f"{self.name}-db")
        self.seeded.link(database, subnet_group)  # InvalidDBSubnetGroupStateFault while in use
        if parameters:
            self.seeded.link(database, parameters)  # InvalidDBParameterGroupState while in use
        self.using(database, spec.groups)
        # while a DB instance is in the group none of its subnets can go: AWS chooses where the
        # instance's interface (and a standby's) is
        self.in_subnets(database, spec.subnets)

    def _cache(self, spec: Cache) -> None:
        elasticache = self.client("elasticache")
        subnet_group = self.made("elasticache:subnet-group", f"{self.name}-cache")
        elasticache.create_cache_subnet_group(
            CacheSubnetGroupName=subnet_group[1],
            CacheSubnetGroupDescription="shape",
            SubnetIds=[self.subnets[i] for i in spec.subnets],
        )
        if not spec.cluster:
            return
        chosen = self.groups_of(spec)
        elasticache.create_cache_cluster(
            CacheClusterId=f"{self.name}-cache",
            Engine="memcached",
            CacheNodeType="cache.t3.micro",
            NumCacheNodes=1,
            CacheSubnetGroupName=subnet_group[1],
            **({"SecurityGroupIds": chosen} if chosen else {}),
        )
        cluster = self.made("elasticache:cache-cluster", f"{self.name}-cache")
        self.seeded.link(cluster, subnet_group)  # CacheSubnetGroupInUse
        self.using(cluster, spec.groups)
        self.in_subnets(cluster, spec.subnets)  # its nodes' interfaces, where AWS chooses

    def _file_system(self, spec: Placed) -> None:
        efs = self.client("efs")
        file_system = self.made(
            "efs:file-system", efs.create_file_system(CreationToken=self.name)["FileSystemId"]
        )
        chosen = self.groups_of(spec)
        for i in spec.subnets:
            reply = efs.create_mount_target(
                FileSystemId=file_system[1],
                SubnetId=self.subnets[i],
                **({"SecurityGroups": chosen} if chosen else {}),
            )
            target = self.made("efs:mount-target", reply["MountTargetId"])
            self.seeded.link(target, file_system)  # DeleteFileSystem: FileSystemInUse
            self.in_subnets(target, (i,))
            self.using(target, spec.groups)

    def _function(self, spec: Placed) -> None:
        function = self.made("lambda:function", f"{self.name}-fn")
        self.client("lambda").create_function(
            FunctionName=function[1],
            Runtime="python3.11",
            Role=_role(self.endpoint_url),
            Handler="h.h",
            Code={"ZipFile": _code()},
            VpcConfig={
                "SubnetIds": [self.subnets[i] for i in spec.subnets],
                "SecurityGroupIds": self.groups_of(spec),
            },
        )
        self.in_subnets(function, spec.subnets)  # its interfaces, which AWS removes after it
        self.using(function, spec.groups)


def _seed_loose(region: str, spare: Loose, endpoint_url: str, seeded: Seeded) -> None:
    name = f"shape-{region}"
    sqs, sns = client("sqs", region, endpoint_url), client("sns", region, endpoint_url)
    logs, dynamodb = client("logs", region, endpoint_url), client("dynamodb", region, endpoint_url)
    for n in range(spare.queues):
        seeded.ids["sqs:queue"].add(sqs.create_queue(QueueName=f"{name}-queue-{n}")["QueueUrl"])
    for n in range(spare.topics):
        seeded.ids["sns:topic"].add(sns.create_topic(Name=f"{name}-topic-{n}")["TopicArn"])
    for n in range(spare.log_groups):
        logs.create_log_group(logGroupName=f"/shape/{region}/{n}")
        seeded.ids["logs:log-group"].add(f"/shape/{region}/{n}")
    for n in range(spare.tables):
        dynamodb.create_table(
            TableName=f"{name}-table-{n}",
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        )
        seeded.ids["dynamodb:table"].add(f"{name}-table-{n}")


def _role(endpoint_url: str) -> str:
    """The functions' execution role (IAM is global: one for the account)."""
    iam = client("iam", "us-east-1", endpoint_url)
    try:
        return str(iam.get_role(RoleName="shape-fn")["Role"]["Arn"])
    except iam.exceptions.NoSuchEntityException:
        return str(iam.create_role(RoleName="shape-fn", AssumeRolePolicyDocument=ROLE_TRUST)["Role"]["Arn"])


@functools.cache
def _code() -> bytes:
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("h.py", "def h(event, context):\n    return None\n")
    return code.getvalue()


# -- census ------------------------------------------------------------------------------------


def census_network(endpoint_url: str, region: str) -> dict[str, set[str]]:
    """What the region holds of NETWORK_TYPES, ids as costzero's handlers name them: the default
    VPC and what it comes with (its default subnets, its gateway), and each VPC's main route table,
    default ACL and default group (which go with their VPC) are left out."""
    ec2 = client("ec2", region, endpoint_url)
    held: dict[str, set[str]] = {key: set() for key in NETWORK_TYPES}
    vpcs = ec2.describe_vpcs()["Vpcs"]
    defaults = {v["VpcId"] for v in vpcs if v["IsDefault"]}
    held["ec2:vpc"] = {v["VpcId"] for v in vpcs if not v["IsDefault"]}
    held["ec2:subnet"] = {
        s["SubnetId"] for s in ec2.describe_subnets()["Subnets"] if s["VpcId"] not in defaults
    }
    held["ec2:route-table"] = {
        t["RouteTableId"]
        for t in ec2.describe_route_tables()["RouteTables"]
        if not any(a.get("Main") for a in t.get("Associations", []))
    }
    held["ec2:network-acl"] = {
        a["NetworkAclId"] for a in ec2.describe_network_acls()["NetworkAcls"] if not a["IsDefault"]
    }
    held["ec2:internet-gateway"] = {
        g["InternetGatewayId"]
        for g in ec2.describe_internet_gateways()["InternetGateways"]
        if not {a.get("VpcId") for a in g.get("Attachments", [])} & defaults
    }
    held["ec2:egress-only-internet-gateway"] = {
        g["EgressOnlyInternetGatewayId"]
        for g in ec2.describe_egress_only_internet_gateways()["EgressOnlyInternetGateways"]
    }
    held["ec2:nat-gateway"] = {
        g["NatGatewayId"] for g in ec2.describe_nat_gateways()["NatGateways"] if g["State"] != "deleted"
    }
    held["ec2:vpc-endpoint"] = {
        e["VpcEndpointId"]
        for e in ec2.describe_vpc_endpoints()["VpcEndpoints"]
        if str(e.get("State", "")).lower() != "deleted"
    }
    held["ec2:network-interface"] = {
        i["NetworkInterfaceId"]
        for i in ec2.describe_network_interfaces()["NetworkInterfaces"]
        if not _goes_with_instance(i.get("Attachment") or {}) and not i.get("RequesterManaged")
    }
    elbv2, elb = client("elbv2", region, endpoint_url), client("elb", region, endpoint_url)
    held["elbv2:load-balancer"] = {
        b["LoadBalancerArn"] for b in elbv2.describe_load_balancers()["LoadBalancers"]
    }
    held["elbv2:target-group"] = {g["TargetGroupArn"] for g in elbv2.describe_target_groups()["TargetGroups"]}
    held["elb:load-balancer"] = {
        b["LoadBalancerName"] for b in elb.describe_load_balancers()["LoadBalancerDescriptions"]
    }
    rds = client("rds", region, endpoint_url)
    held["rds:db-instance"] = {d["DBInstanceIdentifier"] for d in rds.describe_db_instances()["DBInstances"]}
    held["rds:db-subnet-group"] = {
        g["DBSubnetGroupName"]
        for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]
        if g["DBSubnetGroupName"] != "default"
    }
    held["rds:db-parameter-group"] = {
        g["DBParameterGroupName"]
        for g in rds.describe_db_parameter_groups()["DBParameterGroups"]
        if not g["DBParameterGroupName"].startswith("default.")
    }
    elasticache = client("elasticache", region, endpoint_url)
    held["elasticache:cache-cluster"] = {
        c["CacheClusterId"]
        for c in elasticache.describe_cache_clusters()["CacheClusters"]
        if not c.get("ReplicationGroupId")
    }
    held["elasticache:subnet-group"] = {
        g["CacheSubnetGroupName"]
        for g in elasticache.describe_cache_subnet_groups()["CacheSubnetGroups"]
        if g["CacheSubnetGroupName"] != "default"
    }
    efs = client("efs", region, endpoint_url)
    held["efs:file-system"] = {f["FileSystemId"] for f in efs.describe_file_systems()["FileSystems"]}
    held["efs:mount-target"] = {
        t["MountTargetId"]
        for fs in held["efs:file-system"]
        for t in efs.describe_mount_targets(FileSystemId=fs)["MountTargets"]
    }
    held["lambda:function"] = {
        f["FunctionName"] for f in client("lambda", region, endpoint_url).list_functions()["Functions"]
    }
    held["sqs:queue"] = set(client("sqs", region, endpoint_url).list_queues().get("QueueUrls", []))
    held["sns:topic"] = {t["TopicArn"] for t in client("sns", region, endpoint_url).list_topics()["Topics"]}
    held["logs:log-group"] = {
        g["logGroupName"] for g in client("logs", region, endpoint_url).describe_log_groups()["logGroups"]
    }
    held["dynamodb:table"] = set(client("dynamodb", region, endpoint_url).list_tables()["TableNames"])
    return held


def _goes_with_instance(attachment: dict[str, Any]) -> bool:
    """An interface an instance takes with it when terminated: its primary one, and any marked so."""
    attached = attachment.get("InstanceId") and attachment.get("Status") in ("attaching", "attached")
    return bool(attached and (attachment.get("DeleteOnTermination") or attachment.get("DeviceIndex") == 0))


def default_network(endpoint_url: str, region: str) -> set[str]:
    """The default VPC and its subnets: what a destroy without --include-defaults leaves."""
    ec2 = client("ec2", region, endpoint_url)
    vpcs = {
        v["VpcId"] for v in ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    }
    return vpcs | {s["SubnetId"] for s in ec2.describe_subnets()["Subnets"] if s["VpcId"] in vpcs}
