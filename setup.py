"""Build the optional native core. Everything else about the package is in pyproject.toml."""

from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:  # no Cython: the pure-Python path alone
    extensions = []
else:
    # optional=True: a machine without a C compiler still installs repair, on the Python path
    extensions = cythonize(
        [Extension("repair._core", ["repair/_core.pyx"], optional=True)],
        compiler_directives={"language_level": "3"},
        quiet=True,
    )

setup(ext_modules=extensions)
