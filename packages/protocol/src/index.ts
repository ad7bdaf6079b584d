export * from './urfa/function-class';
