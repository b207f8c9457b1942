import { standIn } from '../helpers/backend.js';
import { pageFusionContract } from './page-fusion.contract.js';

pageFusionContract(standIn);
