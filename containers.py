"""The composition root: the only module that names concrete adapters.

Build a fresh `Container(settings=providers.Object(settings))` per SDK instance (or per test) and
override providers with fakes where needed. Nothing is built until first asked for.
"""

from __future__ import annotations

from collections.abc import Iterator

from dependency_injector import containers, providers

from costzero.application.actual_spend import ActualSpend
from costzero.application.cleanup import BatchCleanupUseCase
from costzero.application.cost_inventory import CostInventory
from costzero.application.costing import CostEstimator
from costzero.application.interruption import StopSignal
from costzero.application.monitoring import BatchMonitoringService
from costzero.application.orchestrator import ProcessingOrchestrator
from costzero.application.parking import StopStartUseCase
from costzero.application.requests import Selections
from costzero.application.run_lifecycle import RunLifecycle
from costzero.application.savings import SavingsLedger
from costzero.domain.errors import BadInputError
from costzero.domain.registry import ResourceRegistry
from costzero.infrastructure.aws.calls import ApiCallCounter
from costzero.infrastructure.aws.clients import Boto3CloudAccess
from costzero.infrastructure.aws.cost_explorer import cost_explorer_source
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers import HANDLER_TYPES, AwsHandler
from costzero.infrastructure.aws.settings_schemas import settings_problem
from costzero.infrastructure.aws.state_backup import S3StateBackup
from costzero.infrastructure.checkpoints import EnvCheckpoints
from costzero.infrastructure.clock import SystemClock
from costzero.infrastructure.config import Settings
from costzero.infrastructure.executors import ThreadPoolTaskExecutor
from costzero.infrastructure.persistence.database import Database
from costzero.infrastructure.persistence.location import default_database_url
from costzero.infrastructure.persistence.repository import SqlAlchemyRunRepository
from costzero.infrastructure.persistence.snapshots import SqlAlchemySnapshotRepository
from costzero.infrastructure.pricing.price_lists import PriceLists


def build_handlers(cloud: Boto3CloudAccess, settings: Settings) -> dict[str, AwsHandler]:
    """One handler per type; each is a ResourceHandler and a ParkHandler (the ports it serves).

    Raises:
        BadInputError: `disable_protection` names a type costzero does not know.
    """
    known = {handler_type.spec.key for handler_type in HANDLER_TYPES}
    unknown = sorted(set(settings.disable_protection) - known)
    if unknown:
        raise BadInputError(f"--disable-protection: unknown type {unknown[0]!r} (see costzero types)")
    options = HandlerOptions(
        frozenset(settings.disable_protection),
        settings.include_defaults,
        settings.skip_final_snapshot,
        settings.retain_failed_stack_resources,
    )
    return {handler_type.spec.key: handler_type(cloud, options) for handler_type in HANDLER_TYPES}


def build_registry() -> ResourceRegistry:
    return ResourceRegistry(handler_type.spec for handler_type in HANDLER_TYPES)


def build_state_backup(cloud: Boto3CloudAccess, settings: Settings) -> S3StateBackup | None:
    """The S3 copy of the state file, when a bucket is configured; None otherwise."""
    backup = settings.state_backup
    if not backup.bucket:
        return None
    return S3StateBackup(cloud=cloud, bucket=backup.bucket, key=backup.key, region=backup.region)


def thread_executor(workers: int) -> Iterator[ThreadPoolTaskExecutor]:
    executor = ThreadPoolTaskExecutor(workers)
    yield executor
    executor.shutdown()


def database(database_url: str | None) -> Iterator[Database]:
    db = Database(database_url or default_database_url())
    db.migrate()
    yield db
    db.close()


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(SystemClock)
    counter = providers.Singleton(ApiCallCounter)
    cloud = providers.Singleton(
        Boto3CloudAccess,
        profile=settings.provided.profile,
        endpoint_url=settings.provided.endpoint_url,
        max_attempts=settings.provided.retries.max_attempts,
        pool_size=settings.provided.concurrency.workers,
        counter=counter,
    )
    handlers = providers.Singleton(build_handlers, cloud, settings)
    registry = providers.Singleton(build_registry)
    settings_check = providers.Object(settings_problem)
    executor = providers.Resource(thread_executor, workers=settings.provided.concurrency.workers)
    monitor = providers.Singleton(BatchMonitoringService, clock)
    orchestrator = providers.Factory(
        ProcessingOrchestrator,
        executor=executor,
        clock=clock,
        monitor=monitor,
        limits=settings.provided.limits.call(),
        wait=settings.provided.wait_policy.call(),
    )
    database = providers.Resource(database, database_url=settings.provided.database_url)
    runs = providers.Singleton(SqlAlchemyRunRepository, database)
    snapshots = providers.Singleton(SqlAlchemySnapshotRepository, database)
    checkpoints = providers.Singleton(EnvCheckpoints)
    stop_signal = providers.Singleton(StopSignal)
    price_lists = providers.Singleton(PriceLists, clients=cloud, clock=clock)
    estimator = providers.Singleton(CostEstimator, pricers=handlers, prices=price_lists, clock=clock)
    inventory = providers.Factory(
        CostInventory,
        registry=registry,
        handlers=handlers,
        cloud=cloud,
        executor=executor,
        estimator=estimator,
    )
    savings = providers.Factory(SavingsLedger, runs=runs, clock=clock)
    spend_source = providers.Singleton(
        cost_explorer_source,
        clients=cloud,
        clock=clock,
        account=cloud.provided.caller_account,
        endpoint_url=settings.provided.endpoint_url,
    )
    actual_spend = providers.Factory(
        ActualSpend,
        source=spend_source,
        inventory=inventory,
        pricers=handlers,
        estimator=estimator,
        clock=clock,
    )
    lifecycle = providers.Factory(
        RunLifecycle,
        runs=runs,
        monitor=monitor,
        orchestrator=orchestrator,
        clock=clock,
        stop=stop_signal,
    )
    selections = providers.Factory(Selections, defaults=settings.provided.selection_defaults.call())
    cleanup = providers.Factory(
        BatchCleanupUseCase,
        registry=registry,
        handlers=handlers,
        cloud=cloud,
        executor=executor,
        monitor=monitor,
        lifecycle=lifecycle,
        estimator=estimator,
    )
    state_backup = providers.Singleton(build_state_backup, cloud, settings)
    parking = providers.Factory(
        StopStartUseCase,
        registry=registry,
        handlers=handlers,
        cloud=cloud,
        executor=executor,
        monitor=monitor,
        lifecycle=lifecycle,
        snapshots=snapshots,
        checkpoints=checkpoints,
        clock=clock,
        backup=state_backup,
        estimator=estimator,
    )
