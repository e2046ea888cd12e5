import type { KObject, Node } from '../../../main/api/types';
import { createInformerStore } from './informer';

export type NodeObj = Node & KObject;
export const useNodesStore = createInformerStore<NodeObj>('nodes');
