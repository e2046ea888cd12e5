// A pod's journey as the UI shows it (the bridge builds it from the pod's trace): each step a component
// took, with its times, and the scheduler's verdict on every node it examined ("why this node").

/** The components of the textbook picture that act on a pod. */
/** `handoff`: the time between one component's step and the next one's (a watch event on its way, a queue), from the two steps' times. */
export type JourneyComponent = 'apiserver' | 'scheduler' | 'kubelet' | 'endpointslice-controller' | 'kube-proxy' | 'handoff';

export interface JourneyStep {
  /** The span's name (`apiserver.create`, `kubelet.sandbox`, …). */
  step: string;
  component: JourneyComponent;
  title: string;
  /** Facts of the step: revision and field manager, image, IP, node. */
  detail: string;
  /** Epoch milliseconds. */
  start: number;
  end: number;
  node?: string;
  /** Part of the pod's start, or of its deletion. */
  part: 'start' | 'delete';
  error?: string;
}

export interface NodeVerdict {
  node: string;
  fits: boolean;
  /** The filter's reasons when it does not fit (Kubernetes' messages). */
  reasons: string[];
  /** The weighted total and each score plugin's share (feasible nodes, when more than one was scored). */
  score?: number;
  plugins?: Record<string, number>;
  chosen: boolean;
}

export interface PodJourney {
  uid: string;
  /** In time order. */
  steps: JourneyStep[];
  /** The last scheduling attempt's verdicts (of at most some twenty nodes: the first examined and the best scored) and how many nodes it examined. */
  scheduling?: { verdicts: NodeVerdict[]; examined: number; chosen?: string; message?: string };
  /** From the create's start to the kubelet's report of phase Running (ms), once it happened. */
  createToRunningMs?: number;
  /** Nodes whose agents could not be asked (their steps are missing). */
  unreachable: Array<{ node: string; message: string }>;
}
