"""Build hook (everything else is in pyproject.toml): the shipped training corpora go into the wheel.

The corpora stay in `data/training/` at the top of the repository, where the corpus tools write
them and the tests read them; a wheel (`pip install .`) gets a copy as package data in
`hyper_prime_spiral/corpora/`, so the Training tab and `train` find them from any folder.
Editable installs read `data/training/` in place (training/corpus_files.py looks there).
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CORPORA = Path(__file__).resolve().parent / "data" / "training"


class BuildWithCorpora(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "hyper_prime_spiral" / "corpora"
        self.mkpath(str(target))
        for corpus in sorted(CORPORA.glob("*.txt")):
            self.copy_file(str(corpus), str(target / corpus.name))


setup(cmdclass={"build_py": BuildWithCorpora})
