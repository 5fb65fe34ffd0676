package dev.lookout.systemtests;

import static io.restassured.RestAssured.given;

import io.restassured.builder.RequestSpecBuilder;
import io.restassured.filter.log.LogDetail;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Real Keycloak tokens and request specs against the gateway (18080). */
public final class Api {
    public static final String TRAINING_JOB = "training-job";
    public static final String TRAINING_JOB_SECRET = "training-job-local-secret";

    private Api() {
    }

    /** Client-credentials token of the training-job service account (engineer, /projects/demo). */
    public static String trainingJobToken() {
        return given().baseUri(SystemUnderTest.REALM_URL).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", TRAINING_JOB).formParam("client_secret", TRAINING_JOB_SECRET)
                .when().post("/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** A user's token by password grant on the local/test-only public client lookout-dev-cli (password = name). */
    public static String userToken(String user) {
        return given().baseUri(SystemUnderTest.REALM_URL).contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("client_id", "lookout-dev-cli")
                .formParam("username", user).formParam("password", user).formParam("scope", "openid")
                .when().post("/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** Client-credentials token of review-service's service account (role {@code service}: reads every project). */
    public static String reviewServiceToken() {
        return given().baseUri(SystemUnderTest.REALM_URL).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", "review-service").formParam("client_secret", SystemUnderTest.REVIEW_SECRET)
                .when().post("/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** A user's token from the test-only client whose access tokens live one second: expired almost at once. */
    public static io.restassured.path.json.JsonPath shortLivedUserToken(String user) {
        return given().baseUri(SystemUnderTest.REALM_URL).contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("client_id", SystemUnderTest.SHORT_LIVED_CLIENT)
                .formParam("username", user).formParam("password", user).formParam("scope", "openid")
                .when().post("/protocol/openid-connect/token")
                .then().statusCode(200).extract().jsonPath();
    }

    /** JSON requests to the gateway with a bearer token; failures log the whole exchange. */
    public static RequestSpecification gateway(String token) {
        return given().spec(new RequestSpecBuilder().setBaseUri(SystemUnderTest.GATEWAY_URL)
                .setContentType(ContentType.JSON).setAccept(ContentType.JSON)
                .addHeader("Authorization", "Bearer " + token).build())
                .log().ifValidationFails(LogDetail.ALL);
    }

    /** Requests to the gateway without any token. */
    public static RequestSpecification anonymous() {
        return given().baseUri(SystemUnderTest.GATEWAY_URL).accept(ContentType.JSON).log().ifValidationFails(LogDetail.ALL);
    }
}
