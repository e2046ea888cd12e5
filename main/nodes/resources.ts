// The node manager's names on the API. Resource references come from main/client/refs (R).

export const MACHINE_FINALIZER = 'flotilla.dev/machine';
export const FIELD_MANAGER = 'flotilla-machine-controller';
