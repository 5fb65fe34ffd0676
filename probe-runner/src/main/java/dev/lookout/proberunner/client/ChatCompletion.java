package dev.lookout.proberunner.client;

/** What Lookout keeps of one chat completion answer. */
public record ChatCompletion(String text, String reasoning, String finishReason, Integer promptTokens,
        Integer completionTokens, String serverModel, String systemFingerprint) {

    public ChatCompletion(String text, String reasoning, String finishReason, Integer promptTokens,
            Integer completionTokens, String serverModel) {
        this(text, reasoning, finishReason, promptTokens, completionTokens, serverModel, null);
    }
}
