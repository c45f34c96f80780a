#!/usr/bin/env bash
# Print the path of a working Python X.Y interpreter (on PATH, or a pyenv version), or fail.
#   infra/find_python.sh 3.12
# The same search as infra/localstack.sh: a pyenv shim exists even where the version is
# not selected, so each candidate is run before it is trusted.
set -euo pipefail
want=${1:?usage: $0 X.Y}
candidates=("$(command -v "python$want" || true)")
if command -v pyenv >/dev/null; then
  version=$(pyenv versions --bare 2>/dev/null | grep "^${want//./\\.}\\." | tail -1 || true)
  [ -n "$version" ] && candidates+=("$(pyenv root)/versions/$version/bin/python$want")
fi
for candidate in "${candidates[@]}"; do
  if [ -n "$candidate" ] && "$candidate" -c "import sys; assert '%d.%d' % sys.version_info[:2] == '$want'" 2>/dev/null; then
    echo "$candidate"
    exit 0
  fi
done
echo "no Python $want here (install it, or put python$want on PATH)" >&2
exit 1
