// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import AddNodeDialog from '../../../renderer/src/components/AddNodeDialog.vue';
import DeployDialog from '../../../renderer/src/components/DeployDialog.vue';
import { CATALOG } from '../../../renderer/src/lib/catalog';

const providers = async () => ({
  list: [
    { provider: 'sandbox' as const, available: false, reason: 'sandbox nodes need root' },
    { provider: 'lima' as const, available: true, reason: 'a Lima virtual machine' },
    { provider: 'multipass' as const, available: false, reason: 'multipass is not installed' },
    { provider: 'qemu' as const, available: true, reason: 'a QEMU virtual machine with its own kernel' },
  ],
});

describe('AddNodeDialog', () => {
  it('shows commands in a provider\'s reason as code, not literal backticks', async () => {
    const withCommand = async () => ({
      list: [{ provider: 'sandbox' as const, available: false, reason: 'containerd is not installed (run `npm run setup`)' }],
    });
    const w = mount(AddNodeDialog, { props: { loadProviders: withCommand }, attachTo: document.body });
    await flushPromises();
    const why = w.find('.why');
    expect(why.text()).toBe('Unavailable: containerd is not installed (run npm run setup)');
    expect(why.find('code').text()).toBe('npm run setup');
    expect(w.text()).not.toContain('`');
    w.unmount();
  });

  it('lists providers with the reason when unavailable and picks the first available', async () => {
    const w = mount(AddNodeDialog, { props: { loadProviders: providers }, attachTo: document.body });
    await flushPromises();
    const why = w.findAll('.why').map((e) => e.text());
    expect(why).toEqual(['Unavailable: sandbox nodes need root', 'a Lima virtual machine', 'Unavailable: multipass is not installed', 'a QEMU virtual machine with its own kernel']);
    expect(w.findAll('.pname').map((e) => e.text())).toEqual(['Sandbox', 'Lima', 'Multipass', 'QEMU']);
    expect((w.find('input[value=lima]').element as HTMLInputElement).checked).toBe(true);
    await w.find('input[name=cpus]').setValue('4');
    await w.find('form').trigger('submit');
    expect(w.emitted('add')).toEqual([[{ provider: 'lima', cpus: 4, memoryMiB: 2048, diskGiB: 10 }]]);
    w.unmount();
  });

  it('will not submit for an unavailable provider, and says why', async () => {
    const w = mount(AddNodeDialog, { props: { loadProviders: providers }, attachTo: document.body });
    await flushPromises();
    await w.find('input[value=sandbox]').setValue(true);
    expect(w.find('.problem[role=status]').text()).toBe('sandbox nodes need root');
    expect(w.find('button[type=submit]').attributes('disabled')).toBeDefined();
    await w.find('form').trigger('submit');
    expect(w.emitted('add')).toBeUndefined();
    w.unmount();
  });

  it('shows a provider lookup failure', async () => {
    const w = mount(AddNodeDialog, { props: { loadProviders: async () => ({ list: [], error: 'lost the connection' }) }, attachTo: document.body });
    await flushPromises();
    expect(w.text()).toContain('lost the connection');
    w.unmount();
  });
});

describe('DeployDialog', () => {
  it('validates and emits a deploy request with env, expose and pinning', async () => {
    const w = mount(DeployDialog, { props: { app: CATALOG[2], nodes: ['n1', 'n2'], suggestedName: 'app' }, attachTo: document.body });
    await w.find('input[name=name]').setValue('Bad Name');
    expect(w.find('.problem').text()).toContain('lower-case');
    await w.find('input[name=name]').setValue('web');
    await w.find('input[name=image]').setValue('docker.io/library/nginx:1.27');
    await w.find('input[name=replicas]').setValue('3');
    await w.find('input[name=port]').setValue('80');
    await w.find('select[name=expose]').setValue('NodePort');
    await w.find('textarea[name=env]').setValue('MODE=prod\nbroken');
    expect(w.find('.problem').text()).toContain('“broken” is not NAME=value');
    await w.find('textarea[name=env]').setValue('MODE=prod\nGREETING=a=b');
    await w.find('select[name=node]').setValue('n2');
    await w.find('form').trigger('submit');
    expect(w.emitted('deploy')).toEqual([[{
      name: 'web', image: 'docker.io/library/nginx:1.27', replicas: 3, port: 80,
      env: [{ name: 'MODE', value: 'prod' }, { name: 'GREETING', value: 'a=b' }], expose: 'NodePort', node: 'n2',
    }]]);
    w.unmount();
  });

  it('closes on Escape', async () => {
    const w = mount(DeployDialog, { props: { app: CATALOG[0], nodes: [], suggestedName: 'hello' }, attachTo: document.body });
    await w.find('[role=dialog]').trigger('keydown', { key: 'Escape' });
    expect(w.emitted('close')).toHaveLength(1);
    w.unmount();
  });
});
