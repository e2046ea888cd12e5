import type { Deployment, KObject } from '../../../main/api/types';
import { createInformerStore } from './informer';

export type DeploymentObj = Deployment & KObject;
export const useDeploymentsStore = createInformerStore<DeploymentObj>('deployments');
