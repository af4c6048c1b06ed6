"""Build the guide with its page templates inside the package.

The templates live in the top-level ``templates/`` folder of the source tree;
a wheel (or any non-editable install) carries a copy as ``guide/templates``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithTemplates(build_py):
    """Copy ``templates/`` into the built package beside the code."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            target = Path(self.build_lib) / "guide" / "templates"
            shutil.copytree(HERE / "templates", target, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithTemplates})
