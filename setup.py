"""Build the optional native core. Everything else about the package is in pyproject.toml."""

from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:  # no Cython: the pure-Python path alone
    extensions = []
else:
    # optional: a machine without a C compiler still installs repair, on the Python path
    extensions = cythonize(
        [Extension("repair._core", ["repair/_core.pyx"])],
        compiler_directives={"language_level": "3"},
        quiet=True,
    )
    for extension in extensions:
        extension.optional = True  # cythonize's copies do not keep the flag

setup(ext_modules=extensions)
