"""Slow state transitions for the benchmark's moto server, which runs in this process.

moto terminates an instance at once and the embedded server removes a Beanstalk environment at
once; moto's state manager (`moto.moto_api.state_manager`) has no model for either. Real AWS
keeps an instance `shutting-down` (attached volumes, associated addresses and its network
interfaces with it) and an environment `Terminating` for a while. This module patches moto's
models in this process so that:

- TerminateInstances answers at once with `shutting-down`, and the instance really terminates
  (volumes detached or deleted, interfaces released: moto's own terminate) `instance_seconds` later;
- TerminateEnvironment answers at once with `Terminating`, and the environment is removed
  `environment_seconds` later.

Only the benchmark calls `slow_transitions`; tests and the demo keep moto's immediate behaviour.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any


def _later(seconds: float, action: Callable[[], None]) -> None:
    timer = threading.Timer(seconds, action)
    timer.daemon = True
    timer.start()


def slow_transitions(instance_seconds: float, environment_seconds: float) -> None:
    from moto.core.responses import ActionResult
    from moto.ec2.exceptions import InvalidParameterCombination, OperationNotPermitted4
    from moto.ec2.models.instances import Instance, InstanceBackend
    from moto.elasticbeanstalk.exceptions import InvalidParameterValueError
    from moto.elasticbeanstalk.responses import EBResponse

    terminate_now = Instance.terminate

    def terminate_instances(self: Any, instance_ids: list[str]) -> list[tuple[Any, Any]]:
        if not instance_ids:
            raise InvalidParameterCombination("No instances specified")
        answered = []
        for instance in self.get_multi_instances_by_id(instance_ids):
            if instance.disable_api_termination is True:
                raise OperationNotPermitted4(instance.id)
            previous = copy.copy(instance._state)
            if instance._state.name not in ("shutting-down", "terminated"):
                instance._state.name, instance._state.code = "shutting-down", 32
                _later(instance_seconds, lambda i=instance: terminate_now(i))
            answered.append((instance, previous))
        return answered

    def terminate_environment(self: Any) -> Any:
        wanted = {self._get_param("EnvironmentId"), self._get_param("EnvironmentName")} - {None, ""}
        for application in self.elasticbeanstalk_backend.applications.values():
            for name, environment in list(application.environments.items()):
                if name in wanted or environment.environment_id in wanted:
                    if environment.status != "Terminating":
                        environment.status = "Terminating"

                        def remove(a: Any = application, n: str = name, e: Any = environment) -> None:
                            a.environments.pop(n, None)
                            e.status = "Terminated"

                        _later(environment_seconds, remove)
                    return ActionResult(environment)
        raise InvalidParameterValueError(f"No Environment found for {', '.join(sorted(wanted))}.")

    InstanceBackend.terminate_instances = terminate_instances  # type: ignore[method-assign]
    EBResponse.terminate_environment = terminate_environment  # type: ignore[attr-defined]
