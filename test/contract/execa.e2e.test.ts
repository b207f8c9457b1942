import { standIn } from '../helpers/backend.js';
import { clientContract } from './vboxmanage-client.contract.js';

clientContract(standIn);
