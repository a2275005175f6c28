"""Where moto 5 differs from AWS in ways that break costzero's calls, the embedded server is taught
AWS's behaviour (demo, tests and benchmarks only). Each patch is applied once, on first start."""

from __future__ import annotations

from typing import Any


def add_missing_apis() -> None:
    """Teach moto the few things costzero needs that it lacks, so the demo runs the whole cycle and
    discovery makes no failing call. Only the embedded server gets these; handler tests cover the
    real-AWS behaviour of the same calls with botocore's Stubber. Each patch is applied once."""
    _beanstalk_terminate_environment()
    _beanstalk_application_tags()
    _cloudfront_origin_access_identities()
    _iam_service_specific_credentials()
    _rds_option_groups_listing()
    _ec2_subnet_deletion_ends_associations()
    _elasticache_deletions_end()
    _elasticache_subnet_group_deletion()
    _redshift_batch_snapshot_deletion()
    _service_interfaces_are_requester_managed()


def _beanstalk_terminate_environment() -> None:
    """elasticbeanstalk:TerminateEnvironment (moto 5 has none): removes the environment at once;
    real AWS goes Terminating -> Terminated over minutes."""
    from moto.core.responses import ActionResult
    from moto.elasticbeanstalk.exceptions import InvalidParameterValueError
    from moto.elasticbeanstalk.responses import EBResponse

    if hasattr(EBResponse, "terminate_environment"):
        return

    def terminate_environment(self: Any) -> Any:
        wanted = {self._get_param("EnvironmentId"), self._get_param("EnvironmentName")} - {None, ""}
        for application in self.elasticbeanstalk_backend.applications.values():
            for name, environment in list(application.environments.items()):
                if name in wanted or environment.environment_id in wanted:
                    del application.environments[name]
                    environment.status = "Terminated"
                    return ActionResult(environment)
        raise InvalidParameterValueError(f"No Environment found for {', '.join(sorted(wanted))}.")

    EBResponse.terminate_environment = terminate_environment  # type: ignore[attr-defined]


def _beanstalk_application_tags() -> None:
    """Tags on Elastic Beanstalk applications. moto 5 keeps tags for environments only: it drops
    CreateApplication's Tags, and its ListTagsForResource and UpdateTagsForResource answer
    ResourceNotFoundException for an application ARN. Real AWS tags applications like environments
    (both calls take either ARN), so applications here keep their tags and both calls find them."""
    from moto.elasticbeanstalk.models import Application, EBBackend
    from moto.elasticbeanstalk.responses import EBResponse

    if getattr(EBBackend, "_costzero_application_tags", False):
        return

    def application_tags(self: Any) -> dict[str, str]:
        tags: dict[str, str] = self.__dict__.setdefault("_costzero_tags", {})
        return tags

    find_environment = EBBackend._find_environment_by_arn

    def find_taggable(self: Any, arn: str) -> Any:
        for application in self.applications.values():
            if application.arn == arn:
                return application
        return find_environment(self, arn)

    create_application = EBResponse.create_application

    def create_tagged_application(self: Any) -> Any:
        result = create_application(self)
        application = self.elasticbeanstalk_backend.applications[self._get_param("ApplicationName")]
        application.tags.update({tag["Key"]: tag["Value"] for tag in self._get_param("Tags", [])})
        return result

    Application.tags = property(application_tags)  # type: ignore[attr-defined]
    EBBackend._find_environment_by_arn = find_taggable  # type: ignore[method-assign]
    EBResponse.create_application = create_tagged_application  # type: ignore[method-assign]
    EBBackend._costzero_application_tags = True  # type: ignore[attr-defined]


def _cloudfront_origin_access_identities() -> None:
    """CloudFront origin access identities (moto 5 has no routes for them): create, get, list and
    delete, kept on the CloudFront backend. As in real AWS, deleting names the identity's ETag
    (PreconditionFailed otherwise) and fails while a distribution's S3 origin uses it
    (CloudFrontOriginAccessIdentityInUse)."""
    import secrets

    from moto.cloudfront import urls
    from moto.cloudfront.exceptions import CloudFrontException
    from moto.cloudfront.responses import CloudFrontResponse
    from moto.core.responses import ActionResult, EmptyResult

    if hasattr(CloudFrontResponse, "list_cloud_front_origin_access_identities"):
        return
    base = "{0}/2020-05-31/origin-access-identity/cloudfront"
    urls.url_paths[f"{base}$"] = CloudFrontResponse.dispatch
    urls.url_paths[f"{base}/(?P<identity_id>[^/]+)$"] = CloudFrontResponse.dispatch

    def identities(response: Any) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = response.backend.__dict__.setdefault("_costzero_identities", {})
        return found

    def found(response: Any) -> dict[str, Any]:
        identity = identities(response).get(response._get_param("Id"))
        if identity is None:
            raise CloudFrontException(
                "NoSuchCloudFrontOriginAccessIdentity", "The specified origin access identity does not exist."
            )
        return identity

    def shown(identity: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in identity.items() if k != "ETag"}

    def create(self: Any) -> Any:
        config = self._get_param("CloudFrontOriginAccessIdentityConfig", {})
        identity_id = "E" + secrets.token_hex(7).upper()[:13]
        identity = {
            "Id": identity_id,
            "S3CanonicalUserId": secrets.token_hex(32),
            "CloudFrontOriginAccessIdentityConfig": config,
            "ETag": "E" + secrets.token_hex(6).upper(),
        }
        identities(self)[identity_id] = identity
        return ActionResult({"CloudFrontOriginAccessIdentity": shown(identity), "ETag": identity["ETag"]})

    def get(self: Any) -> Any:
        identity = found(self)
        return ActionResult({"CloudFrontOriginAccessIdentity": shown(identity), "ETag": identity["ETag"]})

    def listing(self: Any) -> Any:
        items = [
            {
                "Id": i["Id"],
                "S3CanonicalUserId": i["S3CanonicalUserId"],
                "Comment": i["CloudFrontOriginAccessIdentityConfig"].get("Comment", ""),
            }
            for i in identities(self).values()
        ]
        page = {"Marker": "", "MaxItems": 100, "IsTruncated": False, "Quantity": len(items), "Items": items}
        return ActionResult({"CloudFrontOriginAccessIdentityList": page})

    def delete(self: Any) -> Any:
        identity = found(self)
        if self.headers.get("If-Match") != identity["ETag"]:
            raise CloudFrontException("PreconditionFailed", "The If-Match version is not valid.")
        used = f"origin-access-identity/cloudfront/{identity['Id']}"
        for distribution in self.backend.distributions.values():
            origins = getattr(distribution.distribution_config, "Origins", {}).get("Items", [])
            if any(getattr(origin, "s3_access_identity", "") == used for origin in origins):
                raise CloudFrontException("CloudFrontOriginAccessIdentityInUse", "The identity is in use.")
        del identities(self)[identity["Id"]]
        return EmptyResult()

    CloudFrontResponse.create_cloud_front_origin_access_identity = create  # type: ignore[attr-defined]
    CloudFrontResponse.get_cloud_front_origin_access_identity = get  # type: ignore[attr-defined]
    CloudFrontResponse.list_cloud_front_origin_access_identities = listing  # type: ignore[attr-defined]
    CloudFrontResponse.delete_cloud_front_origin_access_identity = delete  # type: ignore[attr-defined]


def _iam_service_specific_credentials() -> None:
    """iam:ListServiceSpecificCredentials (moto 5 has none): a user of this emulator never has
    any (moto cannot create them either), and NoSuchEntity for a user that does not exist."""
    from moto.core.responses import ActionResult
    from moto.iam.responses import IamResponse

    if hasattr(IamResponse, "list_service_specific_credentials"):
        return

    def list_service_specific_credentials(self: Any) -> Any:
        self.backend.get_user(self._get_param("UserName"))  # NoSuchEntity when there is no such user
        return ActionResult({"ServiceSpecificCredentials": []})

    IamResponse.list_service_specific_credentials = list_service_specific_credentials  # type: ignore[attr-defined]


def _rds_option_groups_listing() -> None:
    """rds:DescribeOptionGroups without a name: AWS lists every group (none: an empty list); moto 5
    fails with a server error (KeyError on the missing name)."""
    from moto.rds.models import RDSBackend

    original = RDSBackend.describe_option_groups
    if getattr(original, "_costzero_patched", False):
        return

    def describe_option_groups(self: Any, option_group_kwargs: dict[str, Any]) -> Any:
        if option_group_kwargs.get("option_group_name"):
            return original(self, option_group_kwargs)
        if not self.option_groups:
            return []
        return original(self, {**option_group_kwargs, "option_group_name": None})

    describe_option_groups._costzero_patched = True  # type: ignore[attr-defined]
    RDSBackend.describe_option_groups = describe_option_groups  # type: ignore[method-assign]


def _ec2_subnet_deletion_ends_associations() -> None:
    """ec2:DeleteSubnet: on AWS the subnet's route-table and network-ACL associations end with it;
    moto 5 keeps them, so the table or ACL could never be deleted after its subnet."""
    from moto.ec2.models import EC2Backend

    original = EC2Backend.delete_subnet
    if getattr(original, "_costzero_patched", False):
        return

    def delete_subnet(self: Any, subnet_id: str) -> Any:
        subnet = original(self, subnet_id)
        for table in self.route_tables.values():
            for association_id, target in list(table._associations.items()):
                if target == subnet_id:
                    del table._associations[association_id]
        for acl in self.network_acls.values():
            for association_id, association in list(acl._associations.items()):
                if getattr(association, "subnet_id", None) == subnet_id:
                    del acl._associations[association_id]
        return subnet

    delete_subnet._costzero_patched = True  # type: ignore[attr-defined]
    EC2Backend.delete_subnet = delete_subnet  # type: ignore[method-assign]


def _elasticache_deletions_end() -> None:
    """elasticache:DeleteCacheCluster / DeleteReplicationGroup: on AWS the cluster or group is gone
    minutes later; moto 5 leaves it "deleting" for ever. Here it answers "deleting" once and is
    gone from the next listing on."""
    from moto.elasticache.models import ElastiCacheBackend

    if getattr(ElastiCacheBackend.delete_cache_cluster, "_costzero_patched", False):
        return
    delete_cluster, delete_group = (
        ElastiCacheBackend.delete_cache_cluster,
        ElastiCacheBackend.delete_replication_group,
    )

    def delete_cache_cluster(self: Any, cache_cluster_id: str) -> Any:
        cluster = delete_cluster(self, cache_cluster_id)
        self.cache_clusters.pop(cache_cluster_id, None)
        return cluster

    def delete_replication_group(self: Any, replication_group_id: str, retain_primary_cluster: Any) -> Any:
        group = delete_group(self, replication_group_id, retain_primary_cluster)
        self.replication_groups.pop(replication_group_id, None)
        for member in getattr(group, "member_clusters", []) or []:
            self.cache_clusters.pop(member, None)
        return group

    delete_cache_cluster._costzero_patched = True  # type: ignore[attr-defined]
    ElastiCacheBackend.delete_cache_cluster = delete_cache_cluster  # type: ignore[method-assign]
    ElastiCacheBackend.delete_replication_group = delete_replication_group  # type: ignore[method-assign]


def _elasticache_subnet_group_deletion() -> None:
    """elasticache:DeleteCacheSubnetGroup (moto 5 has none): the group goes; an unknown name is
    CacheSubnetGroupNotFoundFault, as on AWS. (The in-use refusal is tested with Stubber.)"""
    from moto.core.responses import ActionResult
    from moto.elasticache.exceptions import CacheSubnetGroupNotFound
    from moto.elasticache.responses import ElastiCacheResponse

    if hasattr(ElastiCacheResponse, "delete_cache_subnet_group"):
        return

    def delete_cache_subnet_group(self: Any) -> Any:
        name = self._get_param("CacheSubnetGroupName")
        if self.elasticache_backend.cache_subnet_groups.pop(name, None) is None:
            raise CacheSubnetGroupNotFound(name)
        return ActionResult({})

    ElastiCacheResponse.delete_cache_subnet_group = delete_cache_subnet_group  # type: ignore[attr-defined]


def _redshift_batch_snapshot_deletion() -> None:
    """redshift:BatchDeleteClusterSnapshots (moto 5 has none): each identifier is deleted as by
    DeleteClusterSnapshot, failures answered per identifier, as on AWS."""
    import re

    from moto.core.responses import ActionResult
    from moto.redshift.responses import RedshiftResponse

    if hasattr(RedshiftResponse, "batch_delete_cluster_snapshots"):
        return
    key = re.compile(r"^Identifiers\.(?:member|DeleteClusterSnapshotMessage)\.\d+\.SnapshotIdentifier$")

    def batch_delete_cluster_snapshots(self: Any) -> Any:
        names = [values[0] for name, values in sorted(self.querystring.items()) if key.match(name)]
        deleted, errors = [], []
        for name in names:
            try:
                self.redshift_backend.delete_cluster_snapshot(name)
                deleted.append(name)
            except Exception as error:  # the per-identifier failure AWS reports
                code = getattr(error, "code", type(error).__name__)
                errors.append({"SnapshotIdentifier": name, "FailureCode": code, "FailureReason": str(error)})
        return ActionResult({"Resources": deleted, "Errors": errors})

    RedshiftResponse.batch_delete_cluster_snapshots = batch_delete_cluster_snapshots  # type: ignore[attr-defined]


def _service_interfaces_are_requester_managed() -> None:
    """The network interfaces of NAT gateways, interface VPC endpoints and EFS mount targets: on AWS
    the service owns them (RequesterManaged, their own InterfaceType or description) and removes
    them with their owner; moto 5 makes plain interfaces, which a destroy would list as loose ones,
    and keeps a NAT gateway's after the gateway is deleted."""
    from moto.ec2.models import EC2Backend
    from moto.ec2.models.nat_gateways import NatGateway
    from moto.efs.models import EFSBackend

    if getattr(NatGateway.__init__, "_costzero_patched", False):
        return

    def managed(interface: Any, requester: str, kind: str, description: str) -> None:
        interface.requester_managed = True
        interface.requester_id = requester
        interface.interface_type = kind
        interface.description = description

    nat_init = NatGateway.__init__

    def nat_gateway(self: Any, *args: Any, **kwargs: Any) -> None:
        nat_init(self, *args, **kwargs)
        managed(self._eni, "amazon-elb", "nat_gateway", f"Interface for NAT Gateway {self.id}")

    nat_delete = EC2Backend.delete_nat_gateway

    def delete_nat_gateway(self: Any, nat_gateway_id: str) -> Any:
        gateway = nat_delete(self, nat_gateway_id)
        for address in self.addresses:  # its Elastic IP is free again
            if address.eni is gateway._eni:
                address.eni, address.association_id = None, None
        self.enis.pop(gateway._eni.id, None)
        return gateway

    endpoint_create = EC2Backend.create_vpc_endpoint

    def create_vpc_endpoint(self: Any, *args: Any, **kwargs: Any) -> Any:
        endpoint = endpoint_create(self, *args, **kwargs)
        for interface_id in getattr(endpoint, "network_interface_ids", None) or []:
            interface = self.enis.get(interface_id)
            if interface is not None:
                managed(interface, "AROAVPCE", "vpc_endpoint", f"VPC Endpoint Interface {endpoint.id}")
        return endpoint

    mount_create = EFSBackend.create_mount_target

    def create_mount_target(self: Any, *args: Any, **kwargs: Any) -> Any:
        target = mount_create(self, *args, **kwargs)
        interface = self.ec2_backend.enis.get(target.network_interface_id)
        if interface is not None:
            description = f"EFS mount target for {target.file_system_id} ({target.mount_target_id})"
            managed(interface, "AROAEFS", "interface", description)
        return target

    nat_gateway._costzero_patched = True  # type: ignore[attr-defined]
    NatGateway.__init__ = nat_gateway  # type: ignore[method-assign]
    EC2Backend.delete_nat_gateway = delete_nat_gateway  # type: ignore[method-assign]
    EC2Backend.create_vpc_endpoint = create_vpc_endpoint  # type: ignore[method-assign]
    EFSBackend.create_mount_target = create_mount_target  # type: ignore[method-assign]
