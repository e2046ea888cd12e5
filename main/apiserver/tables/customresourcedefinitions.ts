// apiextensions.k8s.io/v1 CustomResourceDefinitions: NAME CREATED AT (the apiextensions server's default table).
import { createdAtColumn, nameColumn } from './columns';
import { defineTable } from './define';

export const customResourceDefinitionTable = defineTable({ columns: [nameColumn, createdAtColumn] });
