// SuiteCloud CLI project configuration (`suitecloud project:deploy` runs the unit tests first).
const SuiteCloudJestUnitTestRunner = require('@oracle/suitecloud-unit-testing/services/SuiteCloudJestUnitTestRunner');

module.exports = {
    defaultProjectFolder: 'src',
    commands: {
        'project:deploy': {
            beforeExecuting: async (args) => {
                await SuiteCloudJestUnitTestRunner.run({});
                return args;
            },
        },
    },
};
