// The playground's network editor: how many hidden layers, each layer's units (1 … 8) and
// activation (any of the registry's), and the output head. Any change calls `changed` with
// the new structure; the page then starts a fresh network.

import { ACTIVATION_NAMES, type ActivationName } from '../../src/index.js';
import { byId, setChildren } from '../app.js';
import { MAX_UNITS } from './diagram.js';

export const MAX_HIDDEN_LAYERS = 4;

export interface Structure {
  hidden: number[];
  activations: ActivationName[];
  output: 'sigmoid' | 'softmax';
}

export function setupEditor(form: HTMLFormElement, changed: (s: Structure) => void): { structure(): Structure } {
  const s: Structure = { hidden: [4], activations: ['tanh'], output: 'sigmoid' };
  const layers = byId('pg-layers');
  const depth = byId('pg-depth');
  const outputSelect = form.elements.namedItem('output') as HTMLSelectElement;

  function render(): void {
    depth.textContent = String(s.hidden.length);
    byId<HTMLButtonElement>('pg-layer-remove').disabled = s.hidden.length === 0;
    byId<HTMLButtonElement>('pg-layer-add').disabled = s.hidden.length === MAX_HIDDEN_LAYERS;
    setChildren(layers, s.hidden.map((units, l) => {
      const set = document.createElement('fieldset');
      set.dataset.layer = String(l);
      const options = ACTIVATION_NAMES.map((a) => `<option${a === s.activations[l] ? ' selected' : ''}>${a}</option>`).join('');
      set.innerHTML = `<legend>layer ${l + 2}</legend><button type="button" class="pg-units-remove" title="one unit fewer"${units <= 1 ? ' disabled' : ''}>−</button>` +
        `<output>${units}</output><button type="button" class="pg-units-add" title="one unit more"${units >= MAX_UNITS ? ' disabled' : ''}>+</button>` +
        `<select class="pg-activation" title="g of this layer's units">${options}</select>`;
      set.querySelector('.pg-units-remove')!.addEventListener('click', () => update(() => (s.hidden[l] = Math.max(1, units - 1))));
      set.querySelector('.pg-units-add')!.addEventListener('click', () => update(() => (s.hidden[l] = Math.min(MAX_UNITS, units + 1))));
      const select = set.querySelector<HTMLSelectElement>('.pg-activation')!;
      select.addEventListener('change', () => update(() => (s.activations[l] = select.value as ActivationName)));
      return set;
    }));
  }

  function update(change: () => void): void {
    change();
    render();
    changed(structure());
  }

  const structure = (): Structure => ({ hidden: [...s.hidden], activations: [...s.activations], output: s.output });
  byId('pg-layer-add').addEventListener('click', () => update(() => {
    s.hidden.push(s.hidden.at(-1) ?? 4);
    s.activations.push(s.activations.at(-1) ?? 'tanh');
  }));
  byId('pg-layer-remove').addEventListener('click', () => update(() => {
    s.hidden.pop();
    s.activations.pop();
  }));
  outputSelect.addEventListener('change', () => update(() => (s.output = outputSelect.value as Structure['output'])));
  render();
  return { structure };
}
