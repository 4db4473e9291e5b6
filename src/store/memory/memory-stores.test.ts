import { describeStoreContract } from "../store.contract.js";
import { createMemoryStores } from "./create-memory-stores.js";

describeStoreContract("memory", async () => {
  const stores = createMemoryStores();
  return { stores, cleanup: () => stores.close() };
});
