# Test hosts for the Ansible converge: Debian 13 root filesystems under one work directory,
# entered by Ansible's community.general.chroot connection. Source it; do not run it.
#
# Each host gets its own /proc (procfs) and a private tmpfs /dev with a handful of device nodes,
# never a bind mount of the host's /dev, so removing the work directory cannot reach host files.
# The network namespace is the host's: that is why every server binds to its own 127.0.0.x and
# why nftables rules are only syntax-checked (`nft -c`), never loaded, in these hosts.

# chroot_host_up WORK NAME TARBALL: extracts the rootfs to WORK/NAME and mounts /proc and /dev.
chroot_host_up() {
  local root="$1/$2" tarball="$3"
  mkdir -p "$root"
  tar -C "$root" --numeric-owner -xzf "$tarball"
  mount -t proc proc "$root/proc"
  mount -t tmpfs -o mode=0755,size=16m,nosuid tmpfs "$root/dev"
  mknod -m 666 "$root/dev/null" c 1 3
  mknod -m 666 "$root/dev/zero" c 1 5
  mknod -m 666 "$root/dev/full" c 1 7
  mknod -m 666 "$root/dev/random" c 1 8
  mknod -m 666 "$root/dev/urandom" c 1 9
  mknod -m 666 "$root/dev/tty" c 5 0
  mkdir -m 1777 "$root/dev/shm"
  ln -s /proc/self/fd "$root/dev/fd"
  ln -s /proc/self/fd/0 "$root/dev/stdin"
  ln -s /proc/self/fd/1 "$root/dev/stdout"
  ln -s /proc/self/fd/2 "$root/dev/stderr"
}

# chroot_pids ROOT: every process whose root directory is ROOT (servers started inside it).
chroot_pids() {
  local root pid
  root="$(readlink -f "$1")"
  for pid in /proc/[0-9]*; do
    [ "$(readlink "$pid/root" 2>/dev/null)" = "$root" ] && echo "${pid#/proc/}"
  done
  return 0
}

# chroot_hosts_down WORK: kills everything running inside the hosts, unmounts, deletes WORK.
# Safe to call twice and after a partial setup (it is the suite's EXIT trap).
chroot_hosts_down() {
  local work="$1" root pids
  [ -d "$work" ] || return 0
  for root in "$work"/*/; do
    [ -d "$root/proc" ] || continue
    pids="$(chroot_pids "$root")"
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null
  done
  sleep 0.5
  for root in "$work"/*/; do
    for m in dev proc; do
      # Killed processes may take a moment to release /dev; lazy unmount as the last resort.
      for _ in 1 2 3 4 5; do mountpoint -q "$root/$m" || break; umount "$root/$m" 2>/dev/null || sleep 1; done
      mountpoint -q "$root/$m" && umount -l "$root/$m"
    done
  done
  # Never follow a mount that failed to go away.
  if grep -q " $work/" /proc/mounts; then
    echo "not deleting $work: still mounted" >&2
    return 1
  fi
  rm -rf --one-file-system "$work"
}
