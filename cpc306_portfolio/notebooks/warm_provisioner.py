"""The app server's kernel provisioner: jupyter_client's local one, taking a process started ahead.

Registered as the ``cpc306-warm-kernel`` entry point of ``jupyter_client.kernel_provisioners``
and named by the app's server as its default. See :mod:`.warm_kernel`.
"""

from __future__ import annotations

import os
import pathlib
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

from .warm_kernel import take


class WarmProvisioner(LocalProvisioner):  # type: ignore[misc]
    """Launch a kernel in a process started ahead when one waits; otherwise as usual."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        process = take(cmd, kwargs)
        if process is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = process
        self.pid = process.pid
        try:
            self.pgid = os.getpgid(process.pid)
        except OSError:
            self.pgid = None
        self.cwd = kwargs.get("cwd", pathlib.Path.cwd())
        return self.connection_info
