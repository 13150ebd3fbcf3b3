// The last model, remembered in the browser (IndexedDB), so a reload or a lost GPU device
// continues from it. One record: the network's JSON and when it was saved.

import type { NetworkJSON } from '../src/index.js';

const DB = 'wgsl-learn-demo';
const STORE = 'models';
const KEY = 'last';

export interface SavedModel {
  model: NetworkJSON;
  savedAt: string;
  testAccuracy: number | null;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB: could not open the database'));
  });
}

async function transact<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = act(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB: the transaction failed'));
    });
  } finally {
    db.close();
  }
}

export function saveLastModel(saved: SavedModel): Promise<unknown> {
  return transact('readwrite', (s) => s.put(saved, KEY));
}

/** The last saved model, or undefined when none was saved. Rejects when the browser offers no storage. */
export async function loadLastModel(): Promise<SavedModel | undefined> {
  return (await transact('readonly', (s) => s.get(KEY))) as SavedModel | undefined;
}
