// The RuntimeDefault seccomp profile. Docker's default profile is an allow-list of ~350 system
// calls whose effect is to refuse the ones below (kernel keyring, module loading, clock setting,
// mounting, namespace creation, tracing, …); k8ts writes that effect directly as a deny-list,
// which is shorter to read and review. Denied calls fail with EPERM, as in Docker's profile.

export const deniedSyscalls: readonly string[] = [
  'acct', 'add_key', 'bpf', 'clock_adjtime', 'clock_settime', 'create_module', 'delete_module', 'finit_module',
  'fsconfig', 'fsmount', 'fsopen', 'fspick', 'get_kernel_syms', 'get_mempolicy', 'init_module', 'ioperm', 'iopl',
  'kcmp', 'kexec_file_load', 'kexec_load', 'keyctl', 'lookup_dcookie', 'mbind', 'mount', 'mount_setattr', 'move_mount',
  'move_pages', 'name_to_handle_at', 'nfsservctl', 'open_by_handle_at', 'open_tree', 'perf_event_open', 'pivot_root',
  'process_vm_readv', 'process_vm_writev', 'ptrace', 'query_module', 'quotactl', 'quotactl_fd', 'reboot',
  'request_key', 'set_mempolicy', 'setns', 'settimeofday', 'stime', 'swapoff', 'swapon', 'sysfs', '_sysctl', 'umount',
  'umount2', 'unshare', 'uselib', 'userfaultfd', 'ustat', 'vm86', 'vm86old',
];

export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures: string[];
  syscalls: { names: string[]; action: string; errnoRet?: number; args?: { index: number; value: number; valueTwo?: number; op: string }[] }[];
}

export function runtimeDefaultSeccomp(): SeccompProfile {
  return {
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32', 'SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
    // Docker also refuses clone() with namespace flags; here that needs CAP_SYS_ADMIN, which
    // only privileged containers or an explicit capability add have.
    syscalls: [{ names: [...deniedSyscalls], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }],
  };
}
