// The controller contract against the real client and the VBoxManage stand-in. The truthful-results contract against
// the stand-in is in execa-truthful.e2e.test.ts: two files, so that vitest can run them on two workers.
import { standIn } from '../helpers/backend.js';
import { controllerContract } from './controller.contract.js';

controllerContract(standIn);
