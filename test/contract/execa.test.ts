import { clientContract } from './vboxmanage-client.contract.js';
import { execaHarness } from './harness.js';

clientContract('ExecaVBoxManageClient against the VBoxManage stand-in', execaHarness);
