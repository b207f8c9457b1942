// The controller contract against the real client and the VBoxManage stand-in. The truthful-results contract against
// the stand-in is in execa-truthful.test.ts: two files, so that vitest can run them on two workers.
import { execaHarness } from '../contract/harness.js';
import { controllerContract } from './controller.contract.js';

controllerContract('ExecaVBoxManageClient and the VBoxManage stand-in', execaHarness);
