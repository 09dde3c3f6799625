"""Settings of the submission benchmark's server: production's, with a URLconf that adds the
trivial write the filing is measured against (bench/trivial_urls.py). Never used outside bench/."""

from motcua.settings import *  # noqa: F403 - the production settings, unchanged but one

ROOT_URLCONF = "bench.trivial_urls"
