package dev.lookout.ingest.service;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetricNamesTest {

    @ParameterizedTest
    @CsvSource({
            "loss, train/loss",
            "eval_loss, eval/loss",
            "grad_norm, train/grad_norm",
            "learning_rate, train/learning_rate",
            "lr, train/learning_rate",
            "epoch, train/epoch",
            "train/loss, train/loss",
            "eval/loss, eval/loss",
            "train/lr, train/learning_rate",
            "eval_accuracy, eval/accuracy",
            "accuracy, train/accuracy",
            "rewards/margins, train/rewards/margins",
            "eval_rewards/chosen, eval/rewards/chosen",
            "logps/rejected, train/logps/rejected",
            "train/acc_0, train/acc_0",
            "' loss ', train/loss"
    })
    void shouldNormalise(String raw, String expected) {
        assertEquals(expected, MetricNames.normalise(raw));
    }
}
