/**
 * Process-group accounting for the benchmarks: CPU seconds (utime+stime, plus those of reaped
 * children) and resident memory of every process in a set of process groups, and pinning every
 * process of those groups to CPUs (children forked later inherit the master's affinity).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

function groupMembers(pgids: readonly number[]): { pid: number; fields: string[] }[] {
  const found: { pid: number; fields: string[] }[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name: state is [0], pgrp [2], utime [11] ... cstime [14].
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (pgids.includes(Number(fields[2]))) found.push({ pid: Number(entry), fields });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

export function groupCpuSeconds(pgids: readonly number[]): number {
  return groupMembers(pgids).reduce((sum, p) => sum + [11, 12, 13, 14].reduce((s, i) => s + Number(p.fields[i]), 0), 0) / TICKS_PER_SECOND;
}

export function groupRssMiB(pgids: readonly number[]): number {
  let kib = 0;
  for (const { pid } of groupMembers(pgids)) {
    try {
      const rss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kib += rss ? Number(rss[1]) : 0;
    } catch {
      // gone
    }
  }
  return Math.round(kib / 1024);
}

export function pinGroups(pgids: readonly number[], cpus: string): void {
  for (const { pid } of groupMembers(pgids)) pinPid(pid, cpus);
}

export function pinPid(pid: number, cpus: string): void {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
  } catch {
    // gone
  }
}
