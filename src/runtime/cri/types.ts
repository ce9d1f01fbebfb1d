// The runtime's API, in the shape of the Kubernetes Container Runtime Interface (CRI v1) with
// TypeScript names: the kubelet talks to k8ts's runtime only through these calls, never by
// running runc, mount or ip itself.

export interface KeyValue {
  key: string;
  value: string;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  propagation?: 'private' | 'hostToContainer' | 'bidirectional';
}

export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE';

export interface NamespaceOptions {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
}

export interface LinuxContainerResources {
  cpuShares?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  memoryLimitInBytes?: number;
  pidsLimit?: number;
  oomScoreAdj?: number;
}

export interface LinuxContainerSecurityContext {
  capabilities?: { addCapabilities?: string[]; dropCapabilities?: string[] };
  privileged?: boolean;
  namespaceOptions?: NamespaceOptions;
  runAsUser?: number;
  runAsGroup?: number;
  /** A user name from the image's /etc/passwd, when the image's USER is a name. */
  runAsUsername?: string;
  supplementalGroups?: number[];
  readonlyRootfs?: boolean;
  noNewPrivs?: boolean;
  seccompProfile?: 'RuntimeDefault' | 'Unconfined';
}

export interface PortMapping {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  hostPort: number;
  hostIp?: string;
}

export interface DnsConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  logDirectory?: string;
  dnsConfig?: DnsConfig;
  portMappings?: PortMapping[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  linux?: {
    cgroupParent?: string;
    securityContext?: { namespaceOptions?: NamespaceOptions; privileged?: boolean };
    sysctls?: Record<string, string>;
  };
}

export interface ContainerMetadata {
  name: string;
  attempt: number;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: string;
  /** Replaces the image's ENTRYPOINT (Kubernetes' command). */
  command?: string[];
  /** Replaces the image's CMD (Kubernetes' args). */
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Relative to the sandbox's logDirectory, e.g. "app/0.log". */
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: { resources?: LinuxContainerResources; securityContext?: LinuxContainerSecurityContext };
}

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export type SandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  /** Nanoseconds since the epoch, as CRI reports them; 0 when not yet. */
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  /** "Completed", "Error", "OOMKilled", or empty. */
  reason: string;
  message: string;
  image: string;
  imageRef: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  logPath: string;
  podSandboxId: string;
  pid?: number;
}

export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: SandboxState;
  createdAt: number;
  ip: string;
  additionalIps: string[];
  netnsPath: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ImageStatus {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  uid?: number;
  username?: string;
}

export interface ExecRequest {
  containerId: string;
  cmd: string[];
  tty?: boolean;
  stdin?: boolean;
}
