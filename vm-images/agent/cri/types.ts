// TypeScript shapes of the CRI runtime.v1 messages we use, as load.ts decodes them
// (keepCase, longs as strings, enums as strings, defaults filled in).

export type Labels = Record<string, string>;
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface VersionResponse { version: string; runtime_name: string; runtime_version: string; runtime_api_version: string }

export interface PodSandboxMetadata { name: string; uid: string; namespace: string; attempt: number }
export interface PortMapping { protocol?: Protocol; container_port: number; host_port?: number; host_ip?: string }
export interface NamespaceOption { network?: NamespaceMode; pid?: NamespaceMode; ipc?: NamespaceMode; target_id?: string }
export interface Int64Value { value: string | number }

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  log_directory?: string;
  dns_config?: { servers?: string[]; searches?: string[]; options?: string[] };
  port_mappings?: PortMapping[];
  labels?: Labels;
  annotations?: Labels;
  linux?: {
    cgroup_parent?: string;
    security_context?: {
      namespace_options?: NamespaceOption; privileged?: boolean; run_as_user?: Int64Value; run_as_group?: Int64Value; supplemental_groups?: number[];
    };
    sysctls?: Labels;
  };
}

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata | null;
  state: PodSandboxState;
  created_at: string;
  labels: Labels;
  annotations: Labels;
}

export interface PodSandboxStatus extends PodSandbox {
  network: { ip: string; additional_ips: Array<{ ip: string }> } | null;
}

export interface PodSandboxFilter { id?: string; state?: { state: PodSandboxState }; label_selector?: Labels }

export interface LinuxContainerResources {
  cpu_period?: number; cpu_quota?: number; cpu_shares?: number; memory_limit_in_bytes?: number; oom_score_adj?: number;
}

export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
export interface Mount { container_path: string; host_path: string; readonly?: boolean; propagation?: MountPropagation }

export interface ContainerConfig {
  metadata: { name: string; attempt: number };
  image: { image: string };
  command?: string[];
  args?: string[];
  working_dir?: string;
  envs?: Array<{ key: string; value: string }>;
  mounts?: Mount[];
  labels?: Labels;
  annotations?: Labels;
  log_path?: string;
  stdin?: boolean;
  stdin_once?: boolean;
  tty?: boolean;
  linux?: {
    resources?: LinuxContainerResources;
    security_context?: {
      privileged?: boolean; namespace_options?: NamespaceOption; run_as_user?: Int64Value; run_as_group?: Int64Value; supplemental_groups?: number[];
      capabilities?: { add_capabilities?: string[]; drop_capabilities?: string[] }; readonly_rootfs?: boolean; no_new_privs?: boolean;
    };
  };
}

export interface Container {
  id: string;
  pod_sandbox_id: string;
  metadata: { name: string; attempt: number } | null;
  image: { image: string } | null;
  image_ref: string;
  state: ContainerState;
  created_at: string;
  labels: Labels;
  annotations: Labels;
}

export interface ContainerFilter { id?: string; state?: { state: ContainerState }; pod_sandbox_id?: string; label_selector?: Labels }

export interface ContainerStatus {
  id: string;
  metadata: { name: string; attempt: number } | null;
  state: ContainerState;
  created_at: string;
  started_at: string;
  finished_at: string;
  exit_code: number;
  image: { image: string } | null;
  image_ref: string;
  reason: string;
  message: string;
  labels: Labels;
  annotations: Labels;
  log_path: string;
}

export interface ExecSyncResult { stdout: Buffer; stderr: Buffer; exit_code: number }

export interface UInt64Value { value: string }
export interface ContainerStats {
  attributes: { id: string; metadata: { name: string; attempt: number } | null; labels: Labels; annotations: Labels } | null;
  cpu: { timestamp: string; usage_core_nano_seconds: UInt64Value | null; usage_nano_cores: UInt64Value | null } | null;
  memory: { timestamp: string; working_set_bytes: UInt64Value | null; usage_bytes: UInt64Value | null; rss_bytes: UInt64Value | null } | null;
  writable_layer: { used_bytes: UInt64Value | null } | null;
}

export interface Image {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: string;
  uid?: Int64Value | null;
  username: string;
  pinned: boolean;
}

/** Registry credentials for one PullImage (runtime.v1 AuthConfig). */
export interface AuthConfig {
  username: string; password: string; auth: string; server_address: string; identity_token: string; registry_token: string;
}

export interface FilesystemUsage { timestamp: string; fs_id: { mountpoint: string } | null; used_bytes: UInt64Value | null; inodes_used: UInt64Value | null }
